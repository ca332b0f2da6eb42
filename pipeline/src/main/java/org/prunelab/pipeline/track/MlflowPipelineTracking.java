package org.prunelab.pipeline.track;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prunelab.pipeline.plan.EngineSettings;
import org.prunelab.pipeline.plan.Plan;
import org.prunelab.pipeline.plan.PlannedStep;
import org.prunelab.pipeline.store.StepManifest;
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
 * (run, key, step) it has already journaled, so a resumed step never logs a step twice.
 */
public final class MlflowPipelineTracking implements PipelineTracking {
    static final String TAG_PIPELINE_ID = "pipeline.pipeline_id";
    static final String TAG_STEP_KEY = "pipeline.step_key";
    static final String TAG_SWEEP_ID = "pipeline.sweep_id";

    private final TrackingClient client;
    private final OutboxSlot slot;
    private final TrackingOutbox outbox;
    private final PrintStream log;
    /** Local key of the sweep run that pipelines opened from now on nest under (set by openSweep). */
    private String sweepParentKey;

    public MlflowPipelineTracking(TrackingClient client, Path outboxRoot, PrintStream log) {
        this(client, claim(outboxRoot), log);
    }

    /** Tracking through a slot the caller claimed (a cluster job's per-step slot). */
    public MlflowPipelineTracking(TrackingClient client, OutboxSlot slot, PrintStream log) {
        this.client = client;
        this.log = log;
        this.slot = slot;
        this.outbox = TrackingOutbox.open(client, slot.dir()).start(Duration.ofSeconds(2));
    }

    private static OutboxSlot claim(Path outboxRoot) {
        try {
            return OutboxSlot.claim(outboxRoot);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
        String ref = outbox.ensureRun(new RunSpec(sweepParentKey, experiment, "sweep-" + sweepId.substring(0, 8),
                withSource(Map.of(TAG_SWEEP_ID, sweepId, "mlflow.note.content", description)), TAG_SWEEP_ID, null));
        outbox.setStatus(ref, RunStatus.RUNNING);
        outbox.logParams(ref, params);
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
        String ref = ensure(new RunSpec(key, plan.experimentName(),
                plan.experimentName() + "-" + pipelineId.substring(0, 8), withSource(tags), TAG_PIPELINE_ID,
                sweepParentKey), key);
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

    private static Map<String, String> withSource(Map<String, String> tags) {
        Map<String, String> all = new LinkedHashMap<>(tags);
        all.put("mlflow.source.type", "LOCAL");
        all.put("mlflow.source.name", "prunelab");
        String user = System.getenv("USER");
        if (user != null) {
            all.put("mlflow.user", user);
        }
        return all;
    }

    @Override
    public void flush(Duration limit) {
        outbox.close(limit);
    }

    @Override
    public void close() {
        FlushResult result = outbox.close(Duration.ofSeconds(20));
        if (result.pending() > 0) {
            log.println("  tracking: MLflow unreachable" + outbox.lastError().map(e -> " (" + e.getMessage() + ")").orElse("")
                    + "; " + result.pending() + " entries kept in " + slot.dir()
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

    private final class MlflowPipelineRun implements PipelineRun {
        private final String key;
        private final String ref;
        private final Plan plan;

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
            String stepRef = ensure(new RunSpec(stepKey, plan.experimentName(), step.name(), withSource(tags),
                    TAG_STEP_KEY, key), stepKey);
            outbox.setStatus(stepRef, RunStatus.RUNNING);
            outbox.setTags(ref, Map.of("pipeline.step_run." + step.name(), stepRef));
            return new MlflowStepRun(stepKey, stepRef);
        }

        @Override
        public void reused(PlannedStep step, StepManifest manifest) {
            if (manifest.trackingRunId() != null && !manifest.trackingRunId().startsWith("local:")) {
                outbox.setTags(ref, Map.of("pipeline.step_run." + step.name(), manifest.trackingRunId()));
            }
        }

        @Override
        public void uploadArtifact(Path file, String artifactDir) {
            outbox.uploadArtifact(ref, file, artifactDir);
        }

        @Override
        public void finish(Outcome outcome, String error) {
            if (error != null) {
                outbox.setTags(ref, Map.of("pipeline.error", truncate(error)));
            }
            outbox.setStatus(ref, RunStatus.valueOf(outcome.name()));
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
