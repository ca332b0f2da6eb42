package org.prunelab.pipeline.track;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.prunelab.pipeline.plan.PlannedStep;
import org.prunelab.pipeline.store.StepManifest;
import org.prunelab.tracking.TrackingClient;
import org.prunelab.tracking.outbox.TrackingOutbox;

/**
 * What MLflow learns when a step is committed or reused, beyond its metrics: every tensor needed to
 * reload the model ({@code tensors/}), the real run id written back into the manifest, the link from
 * a pipeline to a shared step computed by another pipeline, and the step's datasets as run inputs.
 * Calls that need a server run id wait for it through {@link ServerFollowUps}.
 */
final class CommittedSteps {
    private final TrackingClient client;
    private final TrackingOutbox outbox;
    private final ServerFollowUps followUps;
    private final PrintStream log;

    CommittedSteps(TrackingClient client, TrackingOutbox outbox, ServerFollowUps followUps, PrintStream log) {
        this.client = client;
        this.outbox = outbox;
        this.followUps = followUps;
        this.log = log;
    }

    /** @param pipelineKey the outbox key of the pipeline run the step belongs to */
    void committed(PlannedStep step, StepManifest manifest, Path dir, boolean reused, String pipelineKey,
                   String experiment) {
        Path manifestFile = dir.resolve(StepManifest.FILE);
        String stepKey = "step-" + step.identity().hash();
        if (!reused) {
            // Its tensors were journaled before the commit (uploadTensors, from StepRun.completed).
            followUps.whenCreated(stepKey, "real run id in " + manifestFile, id -> realRunId(manifestFile, id));
        } else if (ManifestRunIds.isProvisional(manifest.trackingRunId())) {
            // Computed by an earlier command whose run was created after it committed: find it by its tag.
            followUps.whenCreated(pipelineKey, "link to shared step " + step.name(), pipelineRunId ->
                    linkSharedStep(step, manifestFile, pipelineRunId, experiment));
        }
        try {
            List<TrackingClient.DatasetInput> inputs = DatasetInputs.of(dir);
            if (!inputs.isEmpty()) {
                followUps.whenCreated(pipelineKey, "dataset inputs", id -> client.logInputs(id, inputs));
                if (!reused) {
                    followUps.whenCreated(stepKey, "dataset inputs", id -> client.logInputs(id, inputs));
                }
            }
        } catch (IOException e) {
            log.println("    warning: cannot describe the dataset of " + dir + " for MLflow: " + e.getMessage());
        }
    }

    /**
     * Every tensor a step wrote that the stage did not publish itself (biases, masks, chains, optimiser
     * state of the final model; .npy arrays and .npz archives), under {@code tensors/}: with them a
     * model reloads from MLflow alone.
     */
    void uploadTensors(String stepRef, StepManifest manifest, Path dir) {
        for (String file : manifest.outputs().keySet()) {
            if ((file.endsWith(".npy") || file.endsWith(".npz")) && !manifest.artifacts().contains(file)) {
                int slash = file.lastIndexOf('/');
                outbox.uploadArtifact(stepRef, dir.resolve(file), slash < 0 ? "tensors" : "tensors/" + file.substring(0, slash));
            }
        }
    }

    private void realRunId(Path manifestFile, String runId) {
        try {
            if (ManifestRunIds.patch(manifestFile, runId)) {
                client.uploadArtifact(runId, manifestFile, "");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void linkSharedStep(PlannedStep step, Path manifestFile, String pipelineRunId, String experiment) {
        String experimentId = client.findExperiment(experiment).orElseThrow();
        var runs = client.searchRuns(List.of(experimentId),
                "tags.`" + MlflowPipelineTracking.TAG_STEP_KEY + "` = '" + step.identity().hash() + "'");
        if (!runs.isEmpty()) {
            String stepRunId = runs.get(0).runId();
            client.setTags(pipelineRunId, Map.of("pipeline.step_run." + step.name(), stepRunId));
            realRunId(manifestFile, stepRunId);
        }
    }
}
