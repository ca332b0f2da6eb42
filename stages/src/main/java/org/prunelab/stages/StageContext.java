package org.prunelab.stages;

import java.nio.file.Path;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.io.CheckpointStore;

/** What the pipeline hands a running stage. */
public interface StageContext {

    /** The name of this step in the pipeline, e.g. {@code retrain}. */
    String stepName();

    /** The resolved values of the keys the stage declared; reading any other key is an error. */
    StageConfig config();

    /** Where the stage writes its outputs. Survives an interruption; committed on success. */
    Path workDir();

    /** The committed output directory of an upstream step, by step name. */
    Path inputDir(String upstreamStep);

    /** Checkpoints of this step (survive interruption; discarded when the step is committed). */
    CheckpointStore checkpoints();

    /** Metrics of this step, routed to tracking. Re-logging a (key, step) pair is ignored. */
    MetricSink metrics();

    /** Marks a file in {@link #workDir()} (relative path) to be uploaded as a tracking artifact. */
    void publishArtifact(String relativePath);

    /** Progress of long loops; quiet when output is not a terminal. */
    Progress progress();
}
