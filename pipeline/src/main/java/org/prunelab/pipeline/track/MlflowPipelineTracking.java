package org.prunelab.pipeline.track;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.prunelab.pipeline.config.SweepExpansion;
import org.prunelab.pipeline.plan.EngineSettings;
import org.prunelab.pipeline.plan.Plan;
import org.prunelab.pipeline.plan.PlannedStep;
import org.prunelab.pipeline.store.StepManifest;
import org.prunelab.pipeline.version.BuildInfo;
import org.prunelab.stages.MetricSink;
import org.prunelab.tracking.MetricPoint;
import org.prunelab.tracking.RunStatus;
import org.prunelab.tracking.TrackingClient;
import org.prunelab.tracking.outbox.FlushResult;
import org.prunelab.tracking.outbox.RunSpec;
import org.prunelab.tracking.outbox.TrackingOutbox;

/**
 * Maps a pipeline onto MLflow: an experiment per config, a parent run per pipeline id, a child run
 * per step identity. Everything goes through a durable {@link TrackingOutbox}: the pipeline never
 * waits for the server, keeps computing when it is down or stalls, and what could not be sent is
 * delivered later (by this process's background flusher, the next command, or {@code prunelab sync}).
 * Runs are keyed by tags ({@code pipeline.pipeline_id}, {@code pipeline.step_key}) and looked up
 * before they are created, so re-running never duplicates a run, and the outbox drops a metric
 * (run, key, step) it has already journaled, so a resumed step never logs a step twice (a summary at
 * step 0 whose value changed is sent again: MLflow then shows the new value).
 */
public final class MlflowPipelineTracking implements PipelineTracking {
    static final String TAG_PIPELINE_ID = "pipeline.pipeline_id";
    static final String TAG_STEP_KEY = "pipeline.step_key";
    static final String TAG_SWEEP_ID = "pipeline.sweep_id";
    /** The tag MLflow 3's UI reads to choose an experiment's view (else: the GenAI traces page). */
    static final String EXPERIMENT_KIND_TAG = "mlflow.experimentKind";
    static final String EXPERIMENT_KIND_TRAINING = "custom_model_development";

    private final TrackingClient client;
    private final OutboxSlot slot;
    private final TrackingOutbox outbox;
    private final PrintStream log;
    private final ServerFollowUps followUps;
    private final CommittedSteps committedSteps;
    private final BuildInfo build = BuildInfo.current();
    private final Set<String> taggedExperiments = new HashSet<>();
    /** Local key of the sweep run that pipelines opened from now on nest under (set by openSweep). */
    private String sweepParentKey;
    /** The run this command made for the user (the sweep, else the first pipeline): its URL is printed at the end. */
    private String topLevelKey;
    private String topLevelExperiment;

    public MlflowPipelineTracking(TrackingClient client, Path outboxRoot, PrintStream log) {
        this(client, claim(outboxRoot), log);
    }

    /** Tracking through a slot the caller claimed (a cluster job's per-step slot). */
    public MlflowPipelineTracking(TrackingClient client, OutboxSlot slot, PrintStream log) {
        this.client = client;
        this.log = log;
        this.slot = slot;
        this.outbox = TrackingOutbox.open(client, slot.dir()).start(Duration.ofSeconds(2));
        this.followUps = new ServerFollowUps(client, outbox::resolvedRunId);
        this.committedSteps = new CommittedSteps(client, outbox, followUps, log);
    }

    private static OutboxSlot claim(Path outboxRoot) {
        try {
            return OutboxSlot.claim(outboxRoot);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Once per experiment and command: make the MLflow UI open it on the runs table, not GenAI traces. */
    private void tagExperiment(String experiment) {
        synchronized (taggedExperiments) {
            if (!taggedExperiments.add(experiment)) {
                return;
            }
        }
        followUps.now("view tag on experiment " + experiment, () -> client.setExperimentTag(
                client.getOrCreateExperiment(experiment), EXPERIMENT_KIND_TAG, EXPERIMENT_KIND_TRAINING));
    }

    private void rememberTopLevel(String key, String experiment) {
        if (topLevelKey == null) {
            topLevelKey = key;
            topLevelExperiment = experiment;
        }
    }

    /** Seconds the pipeline's own threads spent handing work to tracking (journal appends, fsyncs). */
    @Override
    public double callerSeconds() {
        return callerNanos.get() / 1e9;
    }

    private final java.util.concurrent.atomic.AtomicLong callerNanos = new java.util.concurrent.atomic.AtomicLong();

    private void timed(Runnable call) {
        long t0 = System.nanoTime();
        try {
            call.run();
        } finally {
            callerNanos.addAndGet(System.nanoTime() - t0);
        }
    }

    @Override
    public String describe() {
        return client.trackingUri();
    }

    /** A sweep's parent run; pipelines opened afterwards with its key are nested under it. */
    @Override
    public String openSweep(String sweepId, String experiment, String description, Map<String, String> params) {
        sweepParentKey = "sweep-" + sweepId;
        tagExperiment(experiment);
        rememberTopLevel(sweepParentKey, experiment);
        String ref = outbox.ensureRun(new RunSpec(sweepParentKey, experiment,
                RunNames.sweep(description.replaceFirst("^sweep of ", "")),
                withSource(Map.of(TAG_SWEEP_ID, sweepId, "mlflow.note.content", description)), TAG_SWEEP_ID, null));
        outbox.setStatus(ref, RunStatus.RUNNING);
        // report.* settings only change how the same points are presented, so they are not part of the
        // sweep's identity and a re-run may change them (a new claim, another plot). MLflow params can
        // never change: logged as params, such a re-run was refused by the server. They go in tags.
        Map<String, String> identity = new java.util.TreeMap<>();
        Map<String, String> presentation = new java.util.TreeMap<>();
        params.forEach((k, v) -> (SweepExpansion.isPresentation(k) ? presentation : identity).put(k, v));
        outbox.logParams(ref, identity);
        if (!presentation.isEmpty()) {
            outbox.setTags(ref, presentation);
        }
        return ref;
    }

    /** Study-level results on the sweep run: the transition, report files. */
    @Override
    public void sweepMetrics(String ref, Map<String, Double> metrics) {
        long now = System.currentTimeMillis();
        List<MetricPoint> points = new ArrayList<>();
        metrics.forEach((k, v) -> points.add(new MetricPoint(k, v, now, 0)));
        outbox.logMetrics(ref, points);
    }

    @Override
    public void sweepMetrics(String ref, Map<String, Double> metrics, long step) {
        long now = System.currentTimeMillis();
        List<MetricPoint> points = new ArrayList<>();
        metrics.forEach((k, v) -> points.add(new MetricPoint(k, v, now, step)));
        outbox.logMetrics(ref, points);
    }

    @Override
    public void sweepArtifact(String ref, Path file, String dir) {
        outbox.uploadArtifact(ref, file, dir);
    }

    @Override
    public void finishSweep(String ref, Outcome outcome) {
        outbox.setStatus(ref, RunStatus.valueOf(outcome.name()));
    }

    @Override
    public PipelineRun openPipeline(Plan plan) {
        long t0 = System.nanoTime();
        try {
            return openPipelineUntimed(plan);
        } finally {
            callerNanos.addAndGet(System.nanoTime() - t0);
        }
    }

    private PipelineRun openPipelineUntimed(Plan plan) {
        String pipelineId = plan.pipelineId();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TAG_PIPELINE_ID, pipelineId);
        tags.put("pipeline.config", plan.config().source());
        tags.put("pipeline.family", plan.definition().family());
        String description = EngineSettings.resolve(plan.config().flat(), plan.config().source()).description();
        if (!description.equals(EngineSettings.DESCRIPTION.defaultValue())) {
            tags.put("mlflow.note.content", description);
        }
        String key = "pipeline-" + pipelineId;
        tagExperiment(plan.experimentName());
        rememberTopLevel(key, plan.experimentName());
        String ref = ensure(new RunSpec(key, plan.experimentName(), RunNames.pipeline(plan), withSource(tags),
                TAG_PIPELINE_ID, sweepParentKey), key);
        outbox.setStatus(ref, RunStatus.RUNNING);
        Map<String, String> params = new LinkedHashMap<>();
        for (PlannedStep step : plan.steps()) {
            step.config().values().forEach((k, v) -> params.put(k, String.valueOf(v)));
        }
        outbox.logParams(ref, params);
        return new MlflowPipelineRun(key, ref, plan);
    }

    /** Re-opening a known key (a resumed step under another pipeline of a sweep) reuses its run. */
    private String ensure(RunSpec spec, String key) {
        try {
            return outbox.ensureRun(spec);
        } catch (IllegalArgumentException alreadyKnownDifferently) {
            return TrackingOutbox.localRef(key);
        }
    }

    private Map<String, String> withSource(Map<String, String> tags) {
        return SourceTags.with(tags, build);
    }

    @Override
    public boolean awaitSweepRun(Duration limit) {
        if (sweepParentKey == null) {
            return true;
        }
        long deadline = System.nanoTime() + limit.toNanos();
        // Already there on a study's later rounds: no wait for the backlog the rounds before it left.
        while (outbox.resolvedRunId(sweepParentKey).isEmpty() && System.nanoTime() < deadline) {
            FlushResult result = outbox.flush();
            if (result.lastError() == null && outbox.pending() == 0) {
                break; // everything went, yet no run: its creation was refused (dead-lettered)
            }
            if (result.lastError() != null) {
                try {
                    Thread.sleep(200); // the server is down or refusing: try again until the limit
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return outbox.resolvedRunId(sweepParentKey).isPresent();
    }

    @Override
    public void flush(Duration limit) {
        outbox.close(limit);
    }

    @Override
    public void close() {
        FlushResult result = outbox.close(Duration.ofSeconds(20));
        int missed = followUps.close(Duration.ofSeconds(20));
        if (missed > 0) {
            log.println("  tracking: " + missed + " optional updates (dataset inputs, view tag, run ids in manifests)"
                    + " could not be made; results and metrics are unaffected");
        }
        printLink();
        if (result.pending() > 0) {
            // Without an error the server was reachable and taking entries, just not all of them within
            // the time this command waits at exit: say so rather than call it unreachable.
            String why = outbox.lastError().map(e -> "MLflow unreachable (" + e.getMessage() + ")")
                    .orElse("MLflow still taking the backlog when this command stopped waiting");
            log.println("  tracking: " + why + "; " + result.pending() + " entries kept in " + slot.dir()
                    + " and delivered by the next command or 'prunelab sync'");
        }
        if (result.deadLettered() > 0) {
            log.println("  tracking: " + result.deadLettered() + " entries refused by the server; see "
                    + slot.dir().resolve("dead-letter.jsonl"));
        }
        try {
            slot.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client.close();
    }

    /** The direct URL of the run this command made, once the server has it. */
    private void printLink() {
        if (topLevelKey == null) {
            return;
        }
        Optional<String> runId = outbox.resolvedRunId(topLevelKey);
        if (runId.isEmpty()) {
            log.println("MLflow: the run is not on the server yet; 'prunelab sync' delivers it");
            return;
        }
        try {
            String experimentId = client.findExperiment(topLevelExperiment).orElse(null);
            if (experimentId != null) {
                log.println("MLflow run: " + RunLinks.run(client.trackingUri(), experimentId, runId.get()));
            }
        } catch (RuntimeException e) {
            log.println("MLflow run id: " + runId.get());
        }
    }

    private final class MlflowPipelineRun implements PipelineRun {
        private final String key;
        private final String ref;
        private final Plan plan;
        /** Headline final metrics of the steps so far, logged on the pipeline run when it finishes. */
        private final Map<String, Double> headline = new TreeMap<>();

        MlflowPipelineRun(String key, String ref, Plan plan) {
            this.key = key;
            this.ref = ref;
            this.plan = plan;
        }

        @Override
        public String runId() {
            return outbox.resolvedRunId(key).orElse(ref);
        }

        @Override
        public StepRun openStep(PlannedStep step, int index, Path workDir) {
            long t0 = System.nanoTime();
            try {
                return openStepUntimed(step, index);
            } finally {
                callerNanos.addAndGet(System.nanoTime() - t0);
            }
        }

        private StepRun openStepUntimed(PlannedStep step, int index) {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put("pipeline.stage", step.spec().stage().kind());
            tags.put("pipeline.step", step.name());
            tags.put("pipeline.stage_index", Integer.toString(index));
            tags.put(TAG_STEP_KEY, step.identity().hash());
            tags.put(TAG_PIPELINE_ID, plan.pipelineId());
            String stepKey = "step-" + step.identity().hash();
            tags.put("mlflow.note.content", "Step " + step.name() + " (" + step.spec().stage().kind() + ") of "
                    + RunNames.pipeline(plan) + ", pipeline " + plan.pipelineId() + ", config " + plan.config().source());
            String stepRef = ensure(new RunSpec(stepKey, plan.experimentName(), RunNames.step(step,
                    plan.definition().family()), withSource(tags), TAG_STEP_KEY, key), stepKey);
            outbox.setStatus(stepRef, RunStatus.RUNNING);
            // The link must hold the server's run id, which exists only once the outbox has created the run.
            followUps.whenCreated(stepKey, "link to step run " + step.name(), stepRunId -> client.setTags(
                    outbox.resolvedRunId(key).orElseThrow(), Map.of("pipeline.step_run." + step.name(), stepRunId)));
            return new MlflowStepRun(stepKey, stepRef);
        }

        /**
         * Links to the runs of reused steps, sent as one tags entry when the pipeline finishes: a
         * re-run of a finished sweep reuses every step, and one entry per step (eight per point) made
         * most of the ~1,000 entries a 95-point re-run left for MLflow to absorb.
         */
        private final Map<String, String> reusedStepLinks = new TreeMap<>();

        @Override
        public synchronized void reused(PlannedStep step, StepManifest manifest) {
            if (!ManifestRunIds.isProvisional(manifest.trackingRunId())) {
                reusedStepLinks.put("pipeline.step_run." + step.name(), manifest.trackingRunId());
            }
        }

        @Override
        public void committed(PlannedStep step, StepManifest manifest, Path dir, boolean reused) {
            timed(() -> {
                headline.putAll(HeadlineMetrics.of(step.name(), manifest));
                committedSteps.committed(step, manifest, dir, reused, key, plan.experimentName());
            });
        }

        @Override
        public void uploadArtifact(Path file, String artifactDir) {
            outbox.uploadArtifact(ref, file, artifactDir);
        }

        @Override
        public synchronized void finish(Outcome outcome, String error) {
            Map<String, String> tags = new TreeMap<>(reusedStepLinks);
            if (error != null) {
                tags.put("pipeline.error", truncate(error));
            }
            if (!tags.isEmpty()) {
                outbox.setTags(ref, tags);
            }
            if (!headline.isEmpty()) {
                long now = System.currentTimeMillis();
                List<MetricPoint> points = new ArrayList<>();
                headline.forEach((k, v) -> points.add(new MetricPoint(k, v, now, 0)));
                outbox.logMetrics(ref, points);
            }
            outbox.setStatus(ref, RunStatus.valueOf(outcome.name()));
            followUps.poke();
        }
    }

    private final class MlflowStepRun implements StepRun {
        private final String key;
        private final String ref;
        private final List<MetricPoint> buffer = new ArrayList<>();

        MlflowStepRun(String key, String ref) {
            this.key = key;
            this.ref = ref;
        }

        @Override
        public String runId() {
            return outbox.resolvedRunId(key).orElse(ref);
        }

        @Override
        public MetricSink metrics() {
            return (metric, value, step) -> {
                synchronized (this) {
                    // A new step number means the previous epoch is complete: send it now, so
                    // learning curves grow in the UI while training runs.
                    if (!buffer.isEmpty() && buffer.get(buffer.size() - 1).step() != step) {
                        flush();
                    }
                    buffer.add(new MetricPoint(metric, value, System.currentTimeMillis(), step));
                }
            };
        }

        @Override
        public void params(Map<String, String> params) {
            timed(() -> outbox.logParams(ref, params));
        }

        @Override
        public void uploadArtifact(Path file, String artifactDir) {
            timed(() -> outbox.uploadArtifact(ref, file, artifactDir));
        }

        /** One journal append (one fsync) per call: called at epoch ends, not per metric. */
        @Override
        public synchronized void flush() {
            if (!buffer.isEmpty()) {
                List<MetricPoint> points = List.copyOf(buffer);
                timed(() -> outbox.logMetrics(ref, points));
                buffer.clear();
            }
        }

        @Override
        public void completed(StepManifest manifest, Path outputs) {
            flush();
            timed(() -> committedSteps.uploadTensors(ref, manifest, outputs));
            finish(Outcome.FINISHED, null);
        }

        @Override
        public void finish(Outcome outcome, String error) {
            flush();
            timed(() -> {
                if (error != null) {
                    outbox.setTags(ref, Map.of("pipeline.error", truncate(error)));
                }
                outbox.setStatus(ref, RunStatus.valueOf(outcome.name()));
            });
        }
    }

    private static String truncate(String text) {
        return text.length() <= 4000 ? text : text.substring(0, 4000) + "…";
    }
}
