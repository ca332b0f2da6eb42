package org.prunelab.pipeline.track;

import java.nio.file.Path;
import java.util.Map;
import org.prunelab.pipeline.plan.Plan;
import org.prunelab.pipeline.plan.PlannedStep;
import org.prunelab.pipeline.store.StepManifest;
import org.prunelab.stages.MetricSink;

/** Tracking switched off: results stay in the runs directory only. */
final class DisabledTracking implements PipelineTracking {
    static final DisabledTracking INSTANCE = new DisabledTracking();

    private DisabledTracking() {
    }

    @Override
    public PipelineRun openPipeline(Plan plan) {
        return new PipelineRun() {
            @Override
            public StepRun openStep(PlannedStep step, int index, Path workDir) {
                return new StepRun() {
                    @Override public MetricSink metrics() { return MetricSink.DISCARD; }
                    @Override public void params(Map<String, String> params) { }
                    @Override public void uploadArtifact(Path file, String artifactDir) { }
                    @Override public void flush() { }
                    @Override public void finish(Outcome outcome, String error) { }
                    @Override public String runId() { return null; }
                };
            }

            @Override public void reused(PlannedStep step, StepManifest manifest) { }
            @Override public void uploadArtifact(Path file, String artifactDir) { }
            @Override public void finish(Outcome outcome, String error) { }
            @Override public String runId() { return null; }
        };
    }

    @Override
    public String describe() {
        return "tracking off (set MLFLOW_TRACKING_URI to track runs in MLflow)";
    }

    @Override
    public void close() {
    }
}
