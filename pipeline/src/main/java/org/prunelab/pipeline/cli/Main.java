package org.prunelab.pipeline.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import java.nio.file.Files;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.pipeline.config.SweepExpansion;
import org.prunelab.pipeline.executor.ThisJvm;
import org.prunelab.pipeline.executor.local.LocalWorkerPool;
import org.prunelab.pipeline.executor.local.WorkerLoop;
import org.prunelab.pipeline.executor.slurm.SlurmClient;
import org.prunelab.pipeline.executor.slurm.SlurmOptions;
import org.prunelab.pipeline.executor.slurm.SlurmSweepJobs;
import org.prunelab.pipeline.engine.ConsoleProgress;
import org.prunelab.pipeline.engine.PipelineRunner;
import org.prunelab.pipeline.engine.StatusReport;
import org.prunelab.pipeline.engine.StepPool;
import org.prunelab.pipeline.engine.StudyRunner;
import org.prunelab.pipeline.engine.SweepRunner;
import org.prunelab.pipeline.plan.Plan;
import org.prunelab.pipeline.plan.PlannedStep;
import org.prunelab.pipeline.plan.Planner;
import org.prunelab.pipeline.plan.Pipelines;
import org.prunelab.pipeline.store.StepManifest;
import org.prunelab.pipeline.store.StepStore;
import org.prunelab.stages.config.ErrorMessages;
import org.prunelab.pipeline.track.PipelineTracking;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.config.ConfigKey;

/**
 * {@code prunelab run CONFIG [--set key=value ...]}, {@code prunelab explain CONFIG},
 * {@code prunelab keys [FAMILY]}. Exit codes: 0 done, 1 a step failed, 2 bad usage or bad config,
 * 3 tracking server unreachable or refusing.
 */
public final class Main {
    static final int OK = 0;
    static final int STEP_FAILED = 1;
    static final int USAGE = 2;
    static final int TRACKING = 3;

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true"); // plots and PNGs are drawn without a display
        int code = new Main(System.out, System.err).execute(args);
        System.out.flush();
        System.exit(code);
    }

    private final PrintStream out;
    private final PrintStream err;

    public Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    private static Options options() {
        Options options = new Options();
        options.addOption(Option.builder().longOpt("set").hasArg().argName("key=value")
                .desc("override a config value (repeatable)").build());
        options.addOption(Option.builder().longOpt("runs-dir").hasArg().argName("DIR")
                .desc("where step outputs and checkpoints live (default: $PRUNELAB_RUNS_DIR or ./runs)").build());
        options.addOption(Option.builder().longOpt("tracking-uri").hasArg().argName("URI")
                .desc("MLflow tracking server (default: $MLFLOW_TRACKING_URI; unset = no tracking)").build());
        options.addOption(Option.builder().longOpt("no-tracking").desc("do not talk to MLflow").build());
        options.addOption(Option.builder().longOpt("executor").hasArg().argName("local|slurm")
                .desc("sweep: run the points in this process (local, the default) or as Slurm jobs").build());
        options.addOption(Option.builder().longOpt("jobs").hasArg().argName("N")
                .desc("sweep: compute up to N steps at once in N worker processes on this machine, each on an"
                        + " equal share of the cores (default 1: in this process)").build());
        options.addOption(Option.builder().longOpt("partition").hasArg().argName("NAME")
                .desc("slurm: partition of the step jobs (config: slurm.partition)").build());
        options.addOption(Option.builder().longOpt("time").hasArg().argName("LIMIT")
                .desc("slurm: time limit per job, e.g. 2:00:00 (slurm.time)").build());
        options.addOption(Option.builder().longOpt("cpus-per-task").hasArg().argName("N")
                .desc("slurm: CPUs per job (slurm.cpus_per_task, default 1)").build());
        options.addOption(Option.builder().longOpt("mem").hasArg().argName("SIZE")
                .desc("slurm: memory per job, e.g. 4G (slurm.mem)").build());
        options.addOption(Option.builder().longOpt("max-parallel").hasArg().argName("N")
                .desc("slurm: run at most N of the sweep's jobs at once (slurm.max_parallel)").build());
        options.addOption(Option.builder().longOpt("sbatch-arg").hasArg().argName("ARG")
                .desc("slurm: extra sbatch argument, e.g. --account=abc (repeatable; slurm.sbatch_args)").build());
        options.addOption(Option.builder().longOpt("point").hasArg().argName("INDEX")
                .desc("run-steps: the sweep point whose plan the steps come from").build());
        options.addOption(Option.builder().longOpt("steps").hasArg().argName("a,b")
                .desc("run-steps: the steps to run (the rest must be finished)").build());
        options.addOption(Option.builder().longOpt("expect").hasArg().argName("id,id")
                .desc("run-steps: the steps' short identities at submission; refuse to run if they changed").build());
        options.addOption(Option.builder().longOpt("dry-run").desc("gc: only list what would be removed").build());
        options.addOption(Option.builder().longOpt("quarantine")
                .desc("verify: move damaged steps and checkpoints aside so that the next run recomputes them").build());
        options.addOption(Option.builder("h").longOpt("help").desc("show this help").build());
        options.addOption(Option.builder().longOpt("version").desc("print the version and git commit").build());
        options.addOption(Option.builder().longOpt("sort").hasArg().argName("COLUMN")
                .desc("results: sort by a column (-COLUMN: descending)").build());
        options.addOption(Option.builder().longOpt("filter").hasArg().argName("KEY=VALUE")
                .desc("results: keep rows where KEY=VALUE, KEY>NUMBER or KEY<NUMBER (repeatable)").build());
        options.addOption(Option.builder().longOpt("format").hasArg().argName("FORMAT")
                .desc("results: table (default), csv or markdown").build());
        return options;
    }

    private void usage() {
        HelpFormatter help = new HelpFormatter();
        help.setWidth(100);
        java.io.PrintWriter writer = new java.io.PrintWriter(out);
        help.printHelp(writer, 100, "prunelab COMMAND [options]",
                "\nCommands:\n"
                        + "  run CONFIG      run the pipeline; finished steps are reused, interrupted ones resumed\n"
                        + "  sweep CONFIG    run every point of a grid (list values); shared steps run once;\n"
                        + "                  re-running continues where it stopped\n"
                        + "                  (--jobs N: N steps at once, in worker processes on this machine;\n"
                        + "                  --executor slurm: submit the deduplicated step graph as Slurm jobs)\n"
                        + "  search CONFIG   genetic architecture search (search.*): candidates are pipeline runs,\n"
                        + "                  trained once each; re-running resumes; report in runs/reports/\n"
                        + "  status CONFIG   per sweep point: done, running, failed or pending, and time left;\n"
                        + "                  for a Slurm sweep also each step's job id and state\n"
                        + "  cancel SWEEP    cancel the Slurm jobs of a sweep (CONFIG, or the sweep id)\n"
                        + "  run-steps CONFIG --point N --steps a,b   run exactly these steps of one point\n"
                        + "                  (what a Slurm job runs)\n"
                        + "  worker          run the step chains read from stdin (what sweep --jobs starts)\n"
                        + "  sync            deliver tracking entries left behind while MLflow was unreachable\n"
                        + "  verify          re-hash every committed output and check checkpoints and bookkeeping\n"
                        + "  gc [--dry-run]  remove work dirs of failed steps, stale work dirs and torn temp files\n"
                        + "  explain CONFIG  say, per step, whether it would be reused, resumed or run, and why\n"
                        + "  keys [FAMILY]   list every config key with its default and meaning\n"
                        + "  results CONFIG|SWEEP  table of points x params x final metrics (--sort, --filter, --format)\n"
                        + "\nOptions:",
                options(), 2, 4, "\nExit codes: 0 ok, 1 a step failed, 2 bad usage or config, 3 tracking unreachable.",
                false);
        writer.flush();
    }

    public int execute(String[] args) {
        CommandLine line;
        try {
            line = new DefaultParser().parse(options(), args);
        } catch (ParseException e) {
            err.println("prunelab: " + e.getMessage() + " (see prunelab --help)");
            return USAGE;
        }
        List<String> rest = line.getArgList();
        if (line.hasOption("version")) {
            out.println(org.prunelab.pipeline.version.BuildInfo.current().describe());
            return OK;
        }
        if (line.hasOption("help") || rest.isEmpty()) {
            usage();
            return rest.isEmpty() && !line.hasOption("help") ? USAGE : OK;
        }
        String command = rest.get(0);
        try {
            return switch (command) {
                case "run" -> run(line, rest, false);
                case "explain" -> run(line, rest, true);
                case "sweep" -> sweep(line, rest);
                case "search" -> new SearchCommand(out, err).run(line, loadConfig(line, rest), runsDir(line));
                case "run-steps" -> runSteps(line, rest);
                case "worker" -> worker(line);
                case "cancel" -> cancel(line, rest);
                case "status" -> status(line, rest);
                case "sync" -> sync(line);
                case "verify" -> verify(line, rest);
                case "gc" -> gc(line, rest);
                case "keys" -> keys(rest.size() > 1 ? rest.get(1) : "rbm");
                case "results" -> results(line, rest);
                default -> {
                    err.println("prunelab: unknown command '" + command + "' (see prunelab --help)");
                    yield USAGE;
                }
            };
        } catch (ConfigException e) {
            err.println("prunelab: " + e.getMessage());
            return USAGE;
        } catch (org.prunelab.tracking.TrackingException e) {
            err.println("prunelab: tracking server error: " + e.getMessage());
            return TRACKING;
        } catch (org.prunelab.pipeline.store.StepLock.StepBusyException e) {
            err.println("prunelab: " + e.getMessage());
            return STEP_FAILED;
        } catch (PipelineRunner.StepFailedException e) {
            err.println("prunelab: " + e.getMessage());
            if (System.getenv("PRUNELAB_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return STEP_FAILED;
        } catch (Exception | OutOfMemoryError e) {
            err.println("prunelab: " + ErrorMessages.describe(e));
            if (System.getenv("PRUNELAB_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return STEP_FAILED;
        }
    }

    private int run(CommandLine line, List<String> rest, boolean explainOnly) throws Exception {
        ExperimentConfig config = loadConfig(line, rest);
        StepStore store = new StepStore(runsDir(line));
        Planner planner = new Planner(store);
        if (SweepConfigs.isSweep(config)) {
            if (!explainOnly) {
                throw SweepConfigs.refuseRun(config);
            }
            SweepConfigs.explain(config, planner, out);
            return OK;
        }
        Plan plan = planner.plan(config);
        if (explainOnly) {
            out.println("experiment " + plan.experimentName() + ", pipeline " + plan.pipelineId() + ", runs in "
                    + store.root());
            for (PlannedStep step : plan.steps()) {
                out.printf(Locale.ROOT, "  %-10s %-7s %s  %s%n", step.name(), step.action().name().toLowerCase(Locale.ROOT),
                        step.identity().shortHash(), step.reason());
            }
            return OK;
        }
        try (PipelineTracking tracking = Tracking.open(line, store.root(), out, err)) {
            out.println("prunelab: experiment '" + plan.experimentName() + "', pipeline " + plan.pipelineId()
                    + ", outputs in " + store.root());
            out.println("  tracking: " + tracking.describe());
            PipelineRunner runner = new PipelineRunner(store, planner, tracking, out, new ConsoleProgress(out, 5000));
            PipelineRunner.Result result = runner.run(plan);
            printSummary(result, tracking);
            return OK;
        }
    }

    /** The config without its {@code slurm:} section (which says where steps run, not what they compute). */
    private ExperimentConfig loadConfig(CommandLine line, List<String> rest) {
        ExperimentConfig raw = loadRawConfig(line, rest);
        return ExperimentConfig.of(raw.file(), raw.source(), SlurmOptions.withoutSlurmKeys(raw.flat()));
    }

    private ExperimentConfig loadRawConfig(CommandLine line, List<String> rest) {
        if (rest.size() != 2) {
            throw new ConfigException("'" + rest.get(0) + "' takes exactly one CONFIG file");
        }
        return ExperimentConfig.load(Path.of(rest.get(1)), sets(line));
    }

    private static List<String> sets(CommandLine line) {
        String[] sets = line.getOptionValues("set");
        return sets == null ? List.of() : Arrays.asList(sets);
    }

    private int sweep(CommandLine line, List<String> rest) throws Exception {
        String executor = line.getOptionValue("executor", "local");
        int jobs = jobs(line);
        if (executor.equals("slurm")) {
            if (line.hasOption("jobs")) {
                throw new ConfigException("--jobs runs points on this machine; with --executor slurm use --max-parallel");
            }
            return new SlurmSweepCommand(out, err).submit(loadRawConfig(line, rest), loadConfig(line, rest), sets(line),
                    line, new StepStore(runsDir(line)));
        }
        if (!executor.equals("local")) {
            throw new ConfigException("--executor must be 'local' or 'slurm', got '" + executor + "'");
        }
        ExperimentConfig config = loadConfig(line, rest);
        StepStore store = new StepStore(runsDir(line));
        Planner planner = new Planner(store);
        try (PipelineTracking tracking = Tracking.open(line, store.root(), out, err)) {
            out.println("  tracking: " + tracking.describe());
            StepPool pool = jobs == 1 ? null : new LocalWorkerPool(jobs, workerCommand(line, store),
                    workerEnvironment(line), out);
            SweepRunner sweeps = new SweepRunner(store, planner, tracking, out, new ConsoleProgress(out, 5000), pool);
            StudyRunner.Result result = new StudyRunner(store, sweeps, tracking, out).run(config);
            return result.success() ? OK : STEP_FAILED;
        }
    }

    private static int jobs(CommandLine line) {
        String v = line.getOptionValue("jobs", "1");
        try {
            int jobs = Integer.parseInt(v.trim());
            if (jobs >= 1 && jobs <= 256) {
                return jobs;
            }
        } catch (NumberFormatException ignored) {
            // the message below says what is accepted
        }
        throw new ConfigException("--jobs must be a whole number from 1 to 256 (worker processes), got '" + v + "'");
    }

    /** A worker JVM like this one, against the same runs directory (and tracking server: see below). */
    private static List<String> workerCommand(CommandLine line, StepStore store) {
        List<String> command = new java.util.ArrayList<>(ThisJvm.command(ThisJvm.inheritedOptions()));
        command.addAll(List.of("worker", "--runs-dir", store.root().toAbsolutePath().toString()));
        if (Tracking.uri(line) == null) {
            command.add("--no-tracking");
        }
        return command;
    }

    /**
     * The tracking server reaches a worker through its environment, never its command line, which any
     * user of the machine can read (ps): a URI may carry credentials.
     */
    private static Map<String, String> workerEnvironment(CommandLine line) {
        String uri = Tracking.uri(line);
        return uri == null ? Map.of() : Map.of("MLFLOW_TRACKING_URI", uri);
    }

    private int worker(CommandLine line) throws Exception {
        StepStore store = new StepStore(runsDir(line));
        try (PipelineTracking tracking = Tracking.open(line, store.root(), out, err)) {
            new WorkerLoop(store, tracking, out).serve(new java.io.BufferedReader(
                    new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)));
        }
        return OK;
    }

    private int results(CommandLine line, List<String> rest) throws Exception {
        if (rest.size() != 2) {
            throw new ConfigException("'results' takes exactly one CONFIG file or sweep id");
        }
        StepStore store = new StepStore(runsDir(line));
        String[] sets = line.getOptionValues("set");
        ExperimentConfig config = ExperimentConfig.load(ResultsCommand.configOf(rest.get(1), store),
                sets == null ? List.of() : Arrays.asList(sets));
        String[] filters = line.getOptionValues("filter");
        ResultsCommand.print(new ResultsCommand(store).table(config), filters == null ? List.of() : Arrays.asList(filters),
                line.getOptionValue("sort"), ResultsCommand.format(line.getOptionValue("format")), out);
        return OK;
    }

    private int status(CommandLine line, List<String> rest) throws Exception {
        ExperimentConfig config = loadConfig(line, rest);
        StepStore store = new StepStore(runsDir(line));
        new StatusReport(store, new Planner(store)).print(config, out);
        new SlurmSweepJobs(new SlurmClient(), store).printStatus(SweepExpansion.sweepId(config), out);
        new StoreCommands(out).printWorkDirs(store);
        return OK;
    }

    private int runSteps(CommandLine line, List<String> rest) throws Exception {
        return new SlurmSweepCommand(out, err).runSteps(loadConfig(line, rest), line, new StepStore(runsDir(line)));
    }

    private int cancel(CommandLine line, List<String> rest) throws Exception {
        if (rest.size() != 2) {
            throw new ConfigException("'cancel' takes one sweep: its CONFIG file or its sweep id");
        }
        StepStore store = new StepStore(runsDir(line));
        String sweepId = rest.get(1).matches("[0-9a-f]{16}") && !Files.exists(Path.of(rest.get(1))) ? rest.get(1)
                : SweepExpansion.sweepId(loadConfig(line, rest));
        List<String> cancelled = new SlurmSweepJobs(new SlurmClient(), store).cancel(sweepId);
        out.println("cancel: sweep " + sweepId + ": " + (cancelled.isEmpty() ? "no queued or running jobs"
                : "cancelled " + cancelled.size() + " job(s): " + String.join(",", cancelled)));
        return OK;
    }

    private int verify(CommandLine line, List<String> rest) throws Exception {
        noArguments(rest);
        return new StoreCommands(out).verify(new StepStore(runsDir(line)), line.hasOption("quarantine")) ? OK : STEP_FAILED;
    }

    private int gc(CommandLine line, List<String> rest) throws Exception {
        noArguments(rest);
        new StoreCommands(out).gc(new StepStore(runsDir(line)), line.hasOption("dry-run"));
        return OK;
    }

    private static void noArguments(List<String> rest) {
        if (rest.size() != 1) {
            throw new ConfigException("'" + rest.get(0) + "' takes no arguments, got " + rest.subList(1, rest.size()));
        }
    }

    private int sync(CommandLine line) throws Exception {
        StepStore store = new StepStore(runsDir(line));
        String uri = line.hasOption("tracking-uri") ? line.getOptionValue("tracking-uri")
                : System.getenv("MLFLOW_TRACKING_URI");
        if (uri == null || uri.isBlank()) {
            throw new ConfigException("sync needs a tracking server: set MLFLOW_TRACKING_URI or --tracking-uri");
        }
        int[] counts = StoreCommands.deliverLeftovers(store, uri, line.hasOption("tracking-uri"), java.time.Duration.ofSeconds(60));
        int delivered = counts[0];
        int pending = counts[1];
        out.println("sync: delivered " + delivered + " tracking entries" + (pending > 0 ? ", " + pending
                + " still pending (server unreachable?)" : ", nothing pending"));
        return pending > 0 ? TRACKING : OK;
    }

    private void printSummary(PipelineRunner.Result result, PipelineTracking tracking) {
        StepManifest last = result.last();
        out.println();
        // The headline numbers only; grouped metrics (mask.*, score.*, ceiling.*, ...) are in the
        // step's evaluation.json and in MLflow.
        out.println("Final metrics (" + last.step() + "):");
        int grouped = 0;
        for (Map.Entry<String, Double> e : last.finalMetrics().entrySet()) {
            if (e.getKey().contains(".")) {
                grouped++;
            } else {
                out.printf(Locale.ROOT, "  %-24s %14.6g%n", e.getKey(), e.getValue());
            }
        }
        if (grouped > 0) {
            out.println("  (" + grouped + " more, grouped as mask.*, score.*, ...: see MLflow or the step's files)");
        }
        out.println("Outputs: " + result.plan().steps().size() + " steps, " + result.computed().size()
                + " computed now" + (result.computed().isEmpty() ? " (all reused: no training performed)" : ""));
        if (result.parentRunId() != null) {
            // The run's own URL follows when tracking closes (the server may not have created the run yet).
            out.printf(Locale.ROOT, "  tracking calls took %.3f s on the pipeline thread (delivery runs in the"
                    + " background)%n", tracking.callerSeconds());
        }
    }

    private int keys(String family) {
        var definition = Pipelines.definition(family);
        for (ConfigKey<?> key : org.prunelab.pipeline.plan.EngineSettings.KEYS) {
            printKey(key);
        }
        for (ConfigKey<?> key : definition.keys().values()) {
            printKey(key);
        }
        return OK;
    }

    private void printKey(ConfigKey<?> key) {
        out.printf(Locale.ROOT, "%-34s %-12s %s%n", key.name(),
                key.required() ? "(required)" : String.valueOf(key.defaultValue()), key.description());
    }

    static Path runsDir(CommandLine line) {
        if (line.hasOption("runs-dir")) {
            return Path.of(line.getOptionValue("runs-dir"));
        }
        String env = System.getenv("PRUNELAB_RUNS_DIR");
        return Path.of(env != null && !env.isBlank() ? env : "runs");
    }
}
