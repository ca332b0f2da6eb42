package org.prunelab.pipeline.executor.slurm;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Set;
import java.util.TreeMap;
import org.prunelab.pipeline.executor.StepGraph;
import org.prunelab.pipeline.store.StepLock;

/**
 * Submits a sweep's {@link StepGraph} to Slurm: one job per chain, {@code --dependency=afterok:...}
 * on the jobs of the chains it reads, {@code --requeue} with a USR1 before the time limit, and a
 * last job that finalises the sweep (ledger, report, MLflow sweep run) when every step job succeeded.
 *
 * <p>Re-running is safe: a chain whose recorded job is still queued or running, and whose inputs'
 * jobs were kept too, is left alone; everything else (failed, cancelled, killed, forgotten, or
 * pending on a dependency that can no longer be met) is cancelled if needed and submitted again.
 * Submissions of one sweep are serialised by a lock, so two submitters never race.
 */
public final class SlurmSubmitter {
    private static final int PARALLEL_SUBMISSIONS = 8;

    private final SlurmClient slurm;
    private final SlurmOptions options;
    private final PrintStream out;

    public SlurmSubmitter(SlurmClient slurm, SlurmOptions options, PrintStream out) {
        this.slurm = slurm;
        this.options = options;
        this.out = out;
    }

    /** How the jobs call prunelab: the CLI arguments that select the sweep (config file and --set values). */
    public record Invocation(Path configFile, List<String> sets, Path runsRoot, String trackingUri,
                             Path workingDir) { }

    public record Result(int submitted, int kept, String finalizer, SweepJobs jobs) { }

    public Result submit(String sweepId, StepGraph graph, Invocation call) throws IOException {
        Path root = call.runsRoot().toAbsolutePath();
        Path dir = SweepJobs.dir(root, sweepId);
        Files.createDirectories(dir.resolve("logs"));
        try (StepLock ignored = StepLock.acquire(dir.resolve("submit.lock"), "submission of sweep " + sweepId)) {
            Path script = JobScript.write(root);
            SweepJobs jobs = SweepJobs.load(root, sweepId, call.configFile().toString());
            Set<String> known = new LinkedHashSet<>();
            jobs.steps().values().forEach(j -> known.add(j.jobId()));
            if (jobs.finalizer() != null) {
                known.add(jobs.finalizer());
            }
            Map<String, SlurmClient.JobState> states = slurm.states(known);
            Map<String, SweepJobs.StepJob> records = new TreeMap<>(jobs.steps());
            List<StepGraph.Chain> chains = graph.chains();
            String[] chainJob = new String[chains.size()];
            boolean[] fresh = new boolean[chains.size()];
            int[] wave = new int[chains.size()];
            Set<String> stale = new LinkedHashSet<>();
            int kept = 0;
            int waves = 0;
            for (int c = 0; c < chains.size(); c++) { // topological: a chain's inputs are decided before it
                StepGraph.Chain chain = chains.get(c);
                for (int u : chain.dependsOn()) {
                    wave[c] = Math.max(wave[c], fresh[u] ? wave[u] + 1 : 0);
                }
                waves = Math.max(waves, wave[c] + 1);
                String keep = keepable(chain, records, states, fresh);
                if (keep != null) {
                    chainJob[c] = keep;
                    kept++;
                } else {
                    fresh[c] = true;
                    stale.addAll(activeJobs(chain, records, states));
                }
            }
            if (!stale.isEmpty()) {
                out.println("  cancelling job(s) " + String.join(",", stale) + ": replaced (they, or jobs they wait"
                        + " for, ended without finishing their steps)");
                slurm.cancel(stale);
            }
            int submitted = 0;
            // A wave's jobs only wait for earlier waves, so each wave's sbatch calls run in parallel:
            // sbatch mostly waits for the controller, and one at a time would dominate a large sweep.
            ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_SUBMISSIONS);
            try {
                for (int w = 0; w < waves; w++) {
                    Map<Integer, Future<String>> pending = new LinkedHashMap<>();
                    Map<Integer, String> logs = new LinkedHashMap<>();
                    for (int c = 0; c < chains.size(); c++) {
                        if (!fresh[c] || wave[c] != w) {
                            continue;
                        }
                        StepGraph.Chain chain = chains.get(c);
                        List<String> deps = new ArrayList<>();
                        chain.dependsOn().forEach(u -> deps.add(chainJob[u]));
                        String log = dir.resolve("logs").resolve(chain.last().shortId() + "-%j.log").toString();
                        List<String> args = new ArrayList<>(options.resourceArgs());
                        args.addAll(List.of("--job-name=" + jobName(sweepId, chain, c), "--output=" + log,
                                "--chdir=" + call.workingDir().toAbsolutePath(), "--requeue", "--open-mode=append",
                                "--signal=B:USR1@" + options.signalSeconds(), "--export=ALL"));
                        String dependency = dependency(deps);
                        if (dependency != null) {
                            args.add("--dependency=" + dependency);
                        }
                        args.add(script.toString());
                        args.addAll(stepCommand(call, chain));
                        logs.put(c, log);
                        pending.put(c, pool.submit(() -> slurm.sbatch(args, environment(call))));
                    }
                    String now = Instant.now().toString();
                    IOException failure = null;
                    for (Map.Entry<Integer, Future<String>> e : pending.entrySet()) {
                        int c = e.getKey();
                        StepGraph.Chain chain = chains.get(c);
                        String jobId;
                        try {
                            jobId = e.getValue().get();
                        } catch (ExecutionException ex) {
                            failure = failure != null ? failure : ex.getCause() instanceof IOException io ? io
                                    : new IOException(ex.getCause());
                            continue;
                        }
                        chainJob[c] = jobId;
                        submitted++;
                        String jobLog = logs.get(c).replace("%j", jobId);
                        for (StepGraph.Node node : chain.nodes()) {
                            records.put(node.shortId(), new SweepJobs.StepJob(jobId, node.step(), node.kind(),
                                    chain.point(), chain.stepNames(), jobLog, now));
                            linkLog(root, node.shortId(), jobId, Path.of(jobLog));
                        }
                        List<String> deps = new ArrayList<>();
                        chain.dependsOn().forEach(u -> deps.add(chainJob[u]));
                        out.printf(Locale.ROOT, "  submitted job %s: %s of point %d (%s)%s%n", jobId,
                                String.join(" -> ", chain.stepNames()), chain.point(), chain.last().shortId(),
                                deps.isEmpty() ? "" : ", after " + String.join(",", deps));
                    }
                    // Recorded before anything else can fail: a re-run must know every job that exists.
                    jobs = new SweepJobs(sweepId, jobs.config(), records, jobs.finalizer());
                    jobs.save(root);
                    if (failure != null) {
                        throw failure;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while submitting", e);
            } finally {
                pool.shutdownNow();
            }
            String finalizer = finalizer(sweepId, jobs, states, chainJob, submitted > 0, call, script, dir);
            jobs = jobs.withFinalizer(finalizer);
            jobs.save(root);
            return new Result(submitted, kept, finalizer, jobs);
        }
    }

    /** The recorded job of a chain if it can stay: active, one job for the whole chain, inputs kept. */
    private static String keepable(StepGraph.Chain chain, Map<String, SweepJobs.StepJob> records,
                                   Map<String, SlurmClient.JobState> states, boolean[] fresh) {
        for (int u : chain.dependsOn()) {
            if (fresh[u]) {
                return null; // it waits on a job that has been replaced
            }
        }
        Set<String> ids = new LinkedHashSet<>();
        for (StepGraph.Node node : chain.nodes()) {
            SweepJobs.StepJob record = records.get(node.shortId());
            ids.add(record == null ? null : record.jobId());
        }
        if (ids.size() != 1 || ids.contains(null)) {
            return null;
        }
        SlurmClient.JobState state = states.get(ids.iterator().next());
        return state != null && state.active() && !state.neverStarts() ? state.jobId() : null;
    }

    /** The queued or running jobs recorded for a chain's steps. */
    private static Set<String> activeJobs(StepGraph.Chain chain, Map<String, SweepJobs.StepJob> records,
                                          Map<String, SlurmClient.JobState> states) {
        Set<String> active = new LinkedHashSet<>();
        for (StepGraph.Node node : chain.nodes()) {
            SweepJobs.StepJob record = records.get(node.shortId());
            if (record != null && states.containsKey(record.jobId()) && states.get(record.jobId()).active()) {
                active.add(record.jobId());
            }
        }
        return active;
    }

    private String finalizer(String sweepId, SweepJobs jobs, Map<String, SlurmClient.JobState> states,
                             String[] chainJob, boolean anySubmitted, Invocation call, Path script, Path dir)
            throws IOException {
        String previous = jobs.finalizer();
        SlurmClient.JobState state = previous == null ? null : states.get(previous);
        boolean previousUsable = state != null && state.active() && !state.neverStarts();
        if (previousUsable && !anySubmitted) {
            return previous;
        }
        if (state != null && state.active()) {
            slurm.cancel(List.of(previous));
        }
        List<String> args = new ArrayList<>(List.of("--job-name=pl-" + sweepId.substring(0, 8) + "-finish",
                "--output=" + dir.resolve("logs").resolve("finish-%j.log"), "--chdir=" + call.workingDir().toAbsolutePath(),
                "--export=ALL"));
        if (options.partition() != null) {
            args.add("--partition=" + options.partition());
        }
        String dependency = dependency(List.of(chainJob));
        if (dependency != null) {
            args.add("--dependency=" + dependency);
        }
        args.add(script.toString());
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(List.of("sweep", call.configFile().toAbsolutePath().toString()));
        command.addAll(common(call));
        command.addAll(List.of("--executor", "local"));
        args.addAll(command);
        String id = slurm.sbatch(args, environment(call));
        out.printf(Locale.ROOT, "  submitted job %s: finalise the sweep (ledger, report, MLflow sweep run)%s%n", id,
                chainJob.length == 0 ? "" : " after all " + chainJob.length + " step jobs");
        return id;
    }

    private String jobName(String sweepId, StepGraph.Chain chain, int index) {
        String prefix = "pl-" + sweepId.substring(0, 8);
        // With a limit, jobs go round-robin into that many lanes; 'singleton' lets one job per lane
        // name run at a time, so no more than max_parallel run at once (Slurm has no per-sweep limit).
        return options.maxParallel() > 0 ? prefix + "-lane" + (index % options.maxParallel())
                : prefix + "-" + chain.last().step();
    }

    private String dependency(List<String> deps) {
        List<String> parts = new ArrayList<>();
        if (!deps.isEmpty()) {
            parts.add("afterok:" + String.join(":", deps));
        }
        if (options.maxParallel() > 0) {
            parts.add("singleton");
        }
        return parts.isEmpty() ? null : String.join(",", parts);
    }

    /**
     * What the job finds in its environment besides the submitter's ({@code --export=ALL}): where runs,
     * data and tracking are. The tracking URI travels only here, never on sbatch's or the job's command
     * line (it may carry credentials; see {@link SlurmClient#sbatch(List, Map)}).
     */
    private static Map<String, String> environment(Invocation call) {
        Map<String, String> vars = new TreeMap<>();
        vars.put("PRUNELAB_RUNS_DIR", call.runsRoot().toAbsolutePath().toString());
        String data = System.getenv("PRUNELAB_DATA_DIR");
        if (data != null && !data.isBlank()) {
            vars.put("PRUNELAB_DATA_DIR", Path.of(data).toAbsolutePath().toString());
        }
        if (call.trackingUri() != null) {
            vars.put("MLFLOW_TRACKING_URI", call.trackingUri());
        }
        return vars;
    }

    private static List<String> stepCommand(Invocation call, StepGraph.Chain chain) {
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(List.of("run-steps", call.configFile().toAbsolutePath().toString()));
        command.addAll(common(call));
        command.addAll(List.of("--point", Integer.toString(chain.point()), "--steps", String.join(",", chain.stepNames()),
                "--expect", String.join(",", chain.shortIds())));
        return command;
    }

    private static List<String> common(Invocation call) {
        List<String> args = new ArrayList<>();
        call.sets().forEach(s -> args.addAll(List.of("--set", s)));
        args.addAll(List.of("--runs-dir", call.runsRoot().toAbsolutePath().toString()));
        if (call.trackingUri() == null) {
            args.add("--no-tracking"); // else the job reads $MLFLOW_TRACKING_URI (environment(call))
        }
        return args;
    }

    /** This JVM and classpath (the shaded jar, or the build's classes in tests), as absolute paths. */
    public static List<String> javaCommand() {
        return org.prunelab.pipeline.executor.ThisJvm.command(List.of());
    }

    /** runs/work/<id>/slurm-<job>.log points at the job's log, so a failed step's log is found from its work dir. */
    private static void linkLog(Path root, String shortId, String jobId, Path log) throws IOException {
        Path work = root.resolve("work").resolve(shortId);
        Files.createDirectories(work);
        Path link = work.resolve("slurm-" + jobId + ".log");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, work.relativize(log));
    }
}
