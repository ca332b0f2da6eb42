package org.prunelab.pipeline.track;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.prunelab.pipeline.plan.Plan;
import org.prunelab.pipeline.plan.PlannedStep;
import org.prunelab.pipeline.store.Json;
import org.prunelab.pipeline.store.StepManifest;
import org.prunelab.stages.MetricSink;
import org.prunelab.tracking.MetricPoint;
import org.prunelab.tracking.RunInfo;
import org.prunelab.tracking.RunStatus;
import org.prunelab.tracking.TrackingClient;
import org.prunelab.tracking.TrackingClient.RunRef;

/**
 * Maps a pipeline onto MLflow: an experiment per config, a parent run per pipeline id, a child run
 * per step identity (tag {@code pipeline.step_key}). Runs are found before they are created, so
 * re-running a command never makes a second run for the same work; a step's run id is also kept in
 * its work directory so a resumed step re-attaches to its run.
 */
public final class MlflowPipelineTracking implements PipelineTracking {
    static final String TAG_PIPELINE_ID = "pipeline.pipeline_id";
    static final String TAG_STEP_KEY = "pipeline.step_key";

    private final TrackingClient client;
    private final PrintStream log;

    public MlflowPipelineTracking(TrackingClient client, PrintStream log) {
        this.client = client;
        this.log = log;
    }

    @Override
    public String describe() {
        return client.trackingUri();
    }

    @Override
    public PipelineRun openPipeline(Plan plan) {
        String experimentId = client.getOrCreateExperiment(plan.experimentName());
        String pipelineId = plan.pipelineId();
        RunRef parent = findRun(experimentId, TAG_PIPELINE_ID, pipelineId, true).orElseGet(() -> {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put(TAG_PIPELINE_ID, pipelineId);
            tags.put("pipeline.config", plan.config().source());
            tags.put("pipeline.family", plan.definition().family());
            tags.put("mlflow.source.type", "LOCAL");
            tags.put("mlflow.source.name", "prunelab");
            String user = System.getenv("USER");
            if (user != null) {
                tags.put("mlflow.user", user);
            }
            String description = String.valueOf(plan.config().flat().getOrDefault("description", ""));
            if (!description.isBlank()) {
                tags.put("mlflow.note.content", description);
            }
            return client.createRun(experimentId, plan.experimentName() + "-" + pipelineId.substring(0, 8), tags);
        });
        client.setStatus(parent.runId(), RunStatus.RUNNING);
        client.logParams(parent.runId(), allParams(plan));
        return new MlflowPipelineRun(experimentId, parent, plan);
    }

    private static Map<String, String> allParams(Plan plan) {
        Map<String, String> params = new LinkedHashMap<>();
        for (PlannedStep step : plan.steps()) {
            step.config().values().forEach((k, v) -> params.put(k, String.valueOf(v)));
        }
        return params;
    }

    private Optional<RunRef> findRun(String experimentId, String tag, String value, boolean topLevel) {
        List<RunInfo> runs = client.searchRuns(List.of(experimentId),
                "tags.`" + tag + "` = '" + value + "'");
        return runs.stream()
                .filter(r -> !topLevel || !r.tags().containsKey("mlflow.parentRunId"))
                .min(java.util.Comparator.comparingLong(RunInfo::startTime))
                .map(r -> new RunRef(r.runId(), r.experimentId(), r.artifactUri()));
    }

    @Override
    public void close() {
        client.close();
    }

    private final class MlflowPipelineRun implements PipelineRun {
        private final String experimentId;
        private final RunRef parent;
        private final Plan plan;

        MlflowPipelineRun(String experimentId, RunRef parent, Plan plan) {
            this.experimentId = experimentId;
            this.parent = parent;
            this.plan = plan;
        }

        @Override
        public String runId() {
            return parent.runId();
        }

        @Override
        public StepRun openStep(PlannedStep step, int index, Path workDir) {
            Path record = workDir.resolve("tracking.json");
            String key = step.identity().hash();
            RunRef run = readRecord(record)
                    .or(() -> findRun(experimentId, TAG_STEP_KEY, key, false))
                    .orElseGet(() -> {
                        Map<String, String> tags = new LinkedHashMap<>();
                        tags.put("mlflow.parentRunId", parent.runId());
                        tags.put("pipeline.stage", step.spec().stage().kind());
                        tags.put("pipeline.step", step.name());
                        tags.put("pipeline.stage_index", Integer.toString(index));
                        tags.put(TAG_STEP_KEY, key);
                        tags.put(TAG_PIPELINE_ID, plan.pipelineId());
                        tags.put("mlflow.source.type", "LOCAL");
                        tags.put("mlflow.source.name", "prunelab");
                        return client.createRun(experimentId, step.name(), tags);
                    });
            writeRecord(record, run);
            client.setStatus(run.runId(), RunStatus.RUNNING);
            client.setTags(parent.runId(), Map.of("pipeline.step_run." + step.name(), run.runId()));
            return new MlflowStepRun(run, workDir.resolve("metrics-sent.log"));
        }

        @Override
        public void reused(PlannedStep step, StepManifest manifest) {
            if (manifest.trackingRunId() != null) {
                client.setTags(parent.runId(), Map.of("pipeline.step_run." + step.name(), manifest.trackingRunId()));
            }
        }

        @Override
        public void uploadArtifact(Path file, String artifactDir) {
            client.uploadArtifact(parent.runId(), file, artifactDir);
        }

        @Override
        public void finish(Outcome outcome, String error) {
            if (error != null) {
                client.setTags(parent.runId(), Map.of("pipeline.error", truncate(error)));
            }
            client.setStatus(parent.runId(), RunStatus.valueOf(outcome.name()));
        }
    }

    private final class MlflowStepRun implements StepRun {
        private final RunRef run;
        private final Path sentLog;
        private final Set<String> sent = new HashSet<>();
        private final List<MetricPoint> buffer = new ArrayList<>();

        MlflowStepRun(RunRef run, Path sentLog) {
            this.run = run;
            this.sentLog = sentLog;
            try {
                if (Files.exists(sentLog)) {
                    sent.addAll(Files.readAllLines(sentLog, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String runId() {
            return run.runId();
        }

        @Override
        public MetricSink metrics() {
            return (key, value, step) -> {
                synchronized (this) {
                    String id = key + "@" + step;
                    if (sent.add(id)) {
                        buffer.add(new MetricPoint(key, value, System.currentTimeMillis(), step));
                    }
                    if (buffer.size() >= 1000) {
                        flush();
                    }
                }
            };
        }

        @Override
        public void params(Map<String, String> params) {
            client.logParams(run.runId(), params);
        }

        @Override
        public void uploadArtifact(Path file, String artifactDir) {
            client.uploadArtifact(run.runId(), file, artifactDir);
        }

        @Override
        public synchronized void flush() {
            if (buffer.isEmpty()) {
                return;
            }
            try {
                client.logMetrics(run.runId(), List.copyOf(buffer));
                StringBuilder lines = new StringBuilder();
                for (MetricPoint p : buffer) {
                    lines.append(p.key()).append('@').append(p.step()).append('\n');
                }
                Files.writeString(sentLog, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                buffer.clear();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                log.println("warning: could not send metrics to MLflow (" + e.getMessage() + "); will retry");
            }
        }

        @Override
        public void finish(Outcome outcome, String error) {
            flush();
            if (error != null) {
                client.setTags(run.runId(), Map.of("pipeline.error", truncate(error)));
            }
            client.setStatus(run.runId(), RunStatus.valueOf(outcome.name()));
        }
    }

    private static Optional<RunRef> readRecord(Path record) {
        try {
            if (!Files.exists(record)) {
                return Optional.empty();
            }
            return Optional.of(Json.read(record, RunRef.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void writeRecord(Path record, RunRef run) {
        try {
            Json.writeAtomically(record, run);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String truncate(String text) {
        return text.length() <= 4000 ? text : text.substring(0, 4000) + "…";
    }
}
