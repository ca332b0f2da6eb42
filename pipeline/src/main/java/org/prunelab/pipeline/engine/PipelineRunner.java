package org.prunelab.pipeline.engine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.prunelab.pipeline.plan.EngineSettings;
import org.prunelab.pipeline.plan.Plan;
import org.prunelab.pipeline.plan.PlannedStep;
import org.prunelab.pipeline.plan.Planner;
import org.prunelab.pipeline.provenance.Environment;
import org.prunelab.pipeline.store.StepLock;
import org.prunelab.pipeline.store.StepManifest;
import org.prunelab.pipeline.store.StepStore;
import org.prunelab.pipeline.track.Outcome;
import org.prunelab.pipeline.track.PipelineTracking;
import org.prunelab.stages.Progress;
import org.prunelab.stages.io.DirectoryCheckpointStore;
import org.prunelab.stages.linalg.Numerics;

/**
 * Runs a {@link Plan}: reuses finished steps, resumes interrupted ones, runs the rest, commits each
 * step's outputs atomically with a manifest, and reports everything to tracking. A SIGTERM or
 * Ctrl-C flushes tracking and marks the running step KILLED; its checkpoints stay for the next run.
 */
public final class PipelineRunner {
    private final StepStore store;
    private final Planner planner;
    private final PipelineTracking tracking;
    private final PrintStream out;
    private final Progress progress;
    /** Whether each reused step gets its own line (not after a worker pool, which printed its steps). */
    private final boolean listReused;
    /** The running step's checkpoints, which a signal asks for one last save. */
    private volatile StepCheckpoints activeCheckpoints;
    /** Set by the shutdown hook: once a signal arrived, no step may commit (its run is closed as KILLED). */
    private volatile boolean exiting;

    /**
     * How long a signal waits for the stage to reach a point where it can checkpoint: within
     * Slurm's default KillWait (30 s) between SIGTERM and SIGKILL, with time left to flush tracking.
     */
    static final java.time.Duration SIGNAL_CHECKPOINT_LIMIT = java.time.Duration.ofSeconds(15);

    public PipelineRunner(StepStore store, Planner planner, PipelineTracking tracking, PrintStream out,
                          Progress progress) {
        this(store, planner, tracking, out, progress, true);
    }

    private PipelineRunner(StepStore store, Planner planner, PipelineTracking tracking, PrintStream out,
                           Progress progress, boolean listReused) {
        this.store = store;
        this.planner = planner;
        this.tracking = tracking;
        this.out = out;
        this.progress = progress;
        this.listReused = listReused;
    }

    /**
     * The same runner, silent about steps it reuses: a sweep's walk after its worker pool finds every
     * step committed, and a line per step would repeat what the workers printed as they computed them.
     */
    public PipelineRunner withoutReuseLines() {
        return new PipelineRunner(store, planner, tracking, out, progress, false);
    }

    /** The outcome of one pipeline run: each step's manifest, and which steps were computed now. */
    public record Result(Plan plan, Map<String, StepManifest> manifests, List<String> computed, String parentRunId) {
        public StepManifest last() {
            return manifests.get(plan.steps().get(plan.steps().size() - 1).name());
        }
    }

    /** The process environment plus the numeric backend and thread count the step ran with. */
    private static SortedMap<String, Object> environment() {
        SortedMap<String, Object> env = new TreeMap<>(Environment.current());
        env.putAll(Numerics.describe());
        return env;
    }

    public Result run(Plan plan) throws Exception {
        return runSteps(plan, null);
    }

    /**
     * Runs only the named steps of the plan (one step or chain of a cluster job); every step before
     * the last of them that is not named must be finished already. {@code only == null}: all steps.
     */
    public Result runSteps(Plan plan, Set<String> only) throws Exception {
        EngineSettings engine = EngineSettings.resolve(plan.config().flat(), plan.config().source());
        Numerics.setThreads(engine.threads()); // before any stage builds a kernel
        planner.remember(plan);
        PipelineTracking.PipelineRun parent = tracking.openPipeline(plan);
        Map<String, StepManifest> manifests = new LinkedHashMap<>();
        List<String> computed = new ArrayList<>();
        AtomicReference<PipelineTracking.StepRun> active = new AtomicReference<>();
        PipelineTracking.PipelineRun parentRun = parent;
        Thread hook = new Thread(() -> {
            exiting = true;
            StepCheckpoints checkpoints = activeCheckpoints;
            if (checkpoints != null) {
                // The stage thread keeps running while shutdown hooks run: let it save where it is.
                checkpoints.exitAfterNextSave();
                boolean saved = checkpoints.requestAndAwait(SIGNAL_CHECKPOINT_LIMIT);
                out.println(saved ? "  stopped by a signal: checkpoint saved" : "  stopped by a signal: no checkpoint"
                        + " point reached within " + SIGNAL_CHECKPOINT_LIMIT.toSeconds() + " s; the last one stands");
            }
            PipelineTracking.StepRun step = active.get();
            if (step != null) {
                step.finish(Outcome.KILLED, "stopped by a signal");
                parentRun.finish(Outcome.KILLED, "stopped by a signal");
                tracking.flush(java.time.Duration.ofSeconds(5));
            }
        }, "prunelab-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            int index = 0;
            int lastIndex = lastStepToRun(plan, only);
            for (PlannedStep step : plan.steps()) {
                if (index > lastIndex) {
                    break;
                }
                Map<String, Path> inputs = new LinkedHashMap<>();
                for (String up : step.spec().upstream()) {
                    inputs.put(up, store.committedDir(plan.step(up).spec().stage().kind(),
                            plan.step(up).identity().shortHash()));
                }
                var existing = store.committed(step.spec().stage().kind(), step.identity().hash());
                if (existing.isPresent()) {
                    if (listReused) {
                        out.printf(Locale.ROOT, "  %-10s reused    %s (finished %s)%n", step.name(),
                                step.identity().shortHash(), existing.get().finishedAt());
                    }
                    manifests.put(step.name(), existing.get());
                    parent.reused(step, existing.get());
                    parent.committed(step, existing.get(), store.committedDir(step.spec().stage().kind(),
                            step.identity().shortHash()), true);
                } else if (only != null && !only.contains(step.name())) {
                    throw new IllegalStateException("step '" + step.name() + "' (" + step.identity().shortHash()
                            + ") is not finished, but this command runs only " + only + ": its job started before"
                            + " the job of that step succeeded");
                } else {
                    manifests.put(step.name(), runStep(plan, step, index, inputs, engine, parent, active));
                    computed.add(step.name());
                }
                index++;
            }
            if (computed.isEmpty()) {
                out.println("  nothing to do: every step was reused, no training was performed");
            } else if (lastIndex == plan.steps().size() - 1) {
                uploadResolvedConfig(plan, parent);
            }
            if (lastIndex == plan.steps().size() - 1) {
                parent.finish(Outcome.FINISHED, null); // a job running part of the pipeline leaves it open
            }
            return new Result(plan, manifests, computed, parent.runId());
        } catch (Exception | Error e) {
            parent.finish(Outcome.FAILED, e.getMessage());
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
    }

    private StepManifest runStep(Plan plan, PlannedStep step, int index, Map<String, Path> inputs,
                                 EngineSettings engine, PipelineTracking.PipelineRun parent,
                                 AtomicReference<PipelineTracking.StepRun> active) throws Exception {
        String id = step.identity().shortHash();
        String label = step.name() + " (" + step.spec().stage().kind() + " " + id + ")";
        try (StepLock lock = StepLock.acquire(store.lockFile(id), "step " + label)) {
            // Another process may have finished it while we waited for nothing: check again under the lock.
            var done = store.committed(step.spec().stage().kind(), step.identity().hash());
            if (done.isPresent()) {
                out.printf(Locale.ROOT, "  %-10s reused    %s (finished by another process)%n", step.name(), id);
                parent.committed(step, done.get(), store.committedDir(step.spec().stage().kind(), id), true);
                return done.get();
            }
            Path outputs = store.workOutputs(id);
            boolean resuming = Files.isDirectory(store.checkpointDir(id));
            Files.createDirectories(outputs);
            out.printf(Locale.ROOT, "  %-10s %s %s: %s%n", step.name(), resuming ? "resuming" : "running ", id,
                    step.reason());
            store.clearFailed(id);
            int attempts = store.attempts(id).next(warning -> out.println("    warning: " + warning));
            PipelineTracking.StepRun run = parent.openStep(step, index, store.workDir(id));
            active.set(run);
            Map<String, String> params = new TreeMap<>();
            step.config().values().forEach((k, v) -> params.put(k, String.valueOf(v)));
            params.putAll(Numerics.describe()); // backend and thread count: recorded, not in the identity
            run.params(params);
            DirectoryCheckpointStore checkpoints = new DirectoryCheckpointStore(store.checkpointDir(id),
                    engine.keepCheckpoints(), engine.checkpointEveryUpdates(), engine.checkpointEverySeconds() * 1000L,
                    Clock.systemUTC(), warning -> out.println("    warning: " + warning));
            StepCheckpoints stepCheckpoints = new StepCheckpoints(checkpoints, run::flush);
            activeCheckpoints = stepCheckpoints;
            RunningStageContext context = new RunningStageContext(step.name(), step.config(), outputs, inputs,
                    stepCheckpoints, run.metrics(), progress);
            Instant started = Instant.now();
            long t0 = System.nanoTime();
            try {
                step.spec().stage().run(context);
            } catch (Exception | Error e) {
                activeCheckpoints = null;
                active.set(null);
                StepFailedException failure = new StepFailedException(step.name(), e);
                store.markFailed(id, failure.getMessage());
                run.finish(Outcome.FAILED, failure.getMessage());
                throw failure;
            }
            activeCheckpoints = null;
            double seconds = (System.nanoTime() - t0) / 1e9;
            run.flush();
            for (String artifact : context.artifacts()) {
                Path file = outputs.resolve(artifact);
                String dir = artifact.contains("/") ? artifact.substring(0, artifact.lastIndexOf('/')) : "";
                run.uploadArtifact(file, dir);
            }
            Map<String, String> upstream = new TreeMap<>(step.identity().upstream());
            StepManifest manifest = new StepManifest(StepManifest.FORMAT, step.name(), step.spec().stage().kind(),
                    step.identity().hash(), step.identity().codeVersion(), step.identity().codeDigest(),
                    step.codeClasses(), new TreeMap<>(step.identity().config()), new TreeMap<>(step.config().values()),
                    new TreeMap<>(upstream), step.identity().externalInputs(), StepStore.digestTree(outputs),
                    context.artifacts(), started.toString(), Instant.now().toString(), seconds, attempts,
                    run.runId(), context.lastValues(), environment());
            // Everything tracking needs from the finished step (manifest, tensors, FINISHED) is
            // journaled before the commit: a process killed right after the rename leaves a step
            // that the next run reuses and never reports again.
            if (exiting) {
                StepCheckpoints.parkUntilExit(); // a signal arrived: its run is being closed as KILLED, do not commit
            }
            Path manifestFile = store.prepareCommit(id, manifest);
            active.set(null);
            run.uploadArtifact(manifestFile, "");
            run.completed(manifest, outputs);
            Path committed;
            try {
                committed = store.commitPrepared(step.spec().stage().kind(), id);
            } catch (IOException | RuntimeException e) {
                run.finish(Outcome.FAILED, "commit failed: " + e.getMessage());
                throw e;
            }
            parent.committed(step, manifest, committed, false);
            out.printf(Locale.ROOT, "  %-10s done      in %.1f s%n", step.name(), seconds);
            store.cleanWork(id);
            return manifest;
        }
    }

    private void uploadResolvedConfig(Plan plan, PipelineTracking.PipelineRun parent) throws IOException {
        Path tmpDir = Files.createTempDirectory("prunelab-config-");
        Path file = tmpDir.resolve("resolved.json");
        try {
            Map<String, Object> resolved = new TreeMap<>();
            for (PlannedStep step : plan.steps()) {
                resolved.putAll(step.config().values());
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("source", plan.config().source());
            doc.put("pipeline_id", plan.pipelineId());
            doc.put("resolved", resolved);
            Map<String, String> steps = new LinkedHashMap<>();
            plan.steps().forEach(s -> steps.put(s.name(), s.identity().hash()));
            doc.put("steps", steps);
            org.prunelab.pipeline.store.Json.writeAtomically(file, doc);
            parent.uploadArtifact(file, "config");
            Path yaml = tmpDir.resolve(org.prunelab.pipeline.track.ResolvedConfigFile.FILE);
            org.prunelab.pipeline.track.ResolvedConfigFile.write(plan, yaml);
            parent.uploadArtifact(yaml, "config");
        } finally {
            org.prunelab.io.AtomicFiles.deleteTree(tmpDir);
        }
    }

    private static int lastStepToRun(Plan plan, Set<String> only) {
        if (only == null) {
            return plan.steps().size() - 1;
        }
        int last = -1;
        for (int i = 0; i < plan.steps().size(); i++) {
            if (only.contains(plan.steps().get(i).name())) {
                last = i;
            }
        }
        Set<String> unknown = new java.util.TreeSet<>(only);
        plan.steps().forEach(s -> unknown.remove(s.name()));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no step(s) " + unknown + " in pipeline " + plan.definition().family());
        }
        return last;
    }

    /** A step threw; the message names the step. */
    public static final class StepFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        StepFailedException(String step, Throwable cause) {
            super("step '" + step + "' failed: " + org.prunelab.stages.config.ErrorMessages.describe(cause), cause);
        }
    }
}
