package org.prunelab.pipeline.track;

import java.nio.file.Path;
import java.util.Map;
import org.prunelab.pipeline.plan.Plan;
import org.prunelab.pipeline.plan.PlannedStep;
import org.prunelab.pipeline.store.StepManifest;
import org.prunelab.stages.MetricSink;

/**
 * How the engine reports a pipeline run: one parent run per pipeline, one child run per step
 * identity. The engine never talks to a tracker directly, so running without one (tests, offline
 * work) is the same code path with {@link #disabled()}.
 */
public interface PipelineTracking extends AutoCloseable {

    /** Finds or creates the parent run of this pipeline (same pipeline id, same run). */
    PipelineRun openPipeline(Plan plan);

    /** Where the tracker's UI shows this experiment, or empty when tracking is off. */
    String describe();

    /**
     * Opens (or re-opens) the run of a sweep; pipelines opened afterwards nest under it. Returns a
     * reference for the other sweep calls, or null when tracking is off.
     */
    default String openSweep(String sweepId, String experiment, String description, Map<String, String> params) {
        return null;
    }

    /** Study-level metrics on the sweep run (e.g. the transition). */
    default void sweepMetrics(String sweepRef, Map<String, Double> metrics) {
    }

    /** Metrics on the sweep run at a step (a search logs one row per generation). */
    default void sweepMetrics(String sweepRef, Map<String, Double> metrics, long step) {
        sweepMetrics(sweepRef, metrics);
    }

    /** A report file on the sweep run. */
    default void sweepArtifact(String sweepRef, Path file, String artifactDir) {
    }

    default void finishSweep(String sweepRef, Outcome outcome) {
    }

    /** Seconds the pipeline's threads spent in tracking calls (0 when tracking is off). */
    default double callerSeconds() {
        return 0;
    }

    /** Best-effort delivery within a time limit (used when the process is being stopped). */
    /**
     * Waits, at most {@code limit}, until the sweep run opened last exists on the server, delivering
     * what is journaled before it; tracking stays open. So that other processes (the workers of
     * {@code sweep --jobs}) find that run rather than make their own. Returns whether it exists.
     */
    default boolean awaitSweepRun(java.time.Duration limit) {
        return true;
    }

    default void flush(java.time.Duration limit) {
    }

    @Override
    void close();

    interface PipelineRun {
        /** Finds (by step identity) or creates the step's run and marks it RUNNING. */
        StepRun openStep(PlannedStep step, int index, Path workDir);

        /** Records that a step was reused, pointing the parent at the run that computed it. */
        void reused(PlannedStep step, StepManifest manifest);

        /**
         * A step of this pipeline is committed in {@code dir} (computed now, or {@code reused}): its
         * final metrics count towards the pipeline's headline metrics, its data towards the inputs.
         */
        default void committed(PlannedStep step, StepManifest manifest, Path dir, boolean reused) {
        }

        void uploadArtifact(Path file, String artifactDir);

        void finish(Outcome outcome, String error);

        String runId();
    }

    interface StepRun {
        /** Metrics of the step; re-logging a (key, step) already sent is dropped. */
        MetricSink metrics();

        void params(Map<String, String> params);

        void uploadArtifact(Path file, String artifactDir);

        /** Sends what is buffered; called at natural points (epoch ends) and before finishing. */
        void flush();

        void finish(Outcome outcome, String error);

        /**
         * The step finished and its outputs (in {@code outputs}, with their manifest) are about to be
         * committed: hand tracking everything it needs from them and mark the run FINISHED. Called
         * before the commit, so that a kill right after it loses nothing.
         */
        default void completed(StepManifest manifest, Path outputs) {
            finish(Outcome.FINISHED, null);
        }

        String runId();
    }

    static PipelineTracking disabled() {
        return DisabledTracking.INSTANCE;
    }
}
