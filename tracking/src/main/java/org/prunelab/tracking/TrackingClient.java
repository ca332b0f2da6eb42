package org.prunelab.tracking;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * prunelab's view of an experiment tracker. Nothing outside this module sees MLflow types.
 * Every call finishes within the client's time limit or throws {@link TrackingException}; none
 * blocks forever, whatever the server does.
 */
public interface TrackingClient extends AutoCloseable {

    String trackingUri();

    /** The server's version string (GET /version). */
    String serverVersion();

    /** Idempotent get-or-create, safe against a concurrent creator. Returns the experiment id. */
    String getOrCreateExperiment(String name);

    /** Creates a run (status RUNNING) with a name and tags. */
    RunRef createRun(String experimentId, String runName, Map<String, String> tags);

    /**
     * Creates a run as a child of {@code parentRunId} (null: a top-level run). How a parent is
     * recorded is the tracker's business (MLflow: a reserved tag), so callers never name it.
     */
    RunRef createRun(String experimentId, String runName, Map<String, String> tags, String parentRunId);

    /**
     * As {@link #createRun(String, String, Map, String)}, with the run's start time given by the
     * caller: a run created late (the server was down, the outbox delivered it afterwards) still
     * starts when its work started, so its duration is honest. The default ignores the time.
     */
    default RunRef createRun(String experimentId, String runName, Map<String, String> tags, String parentRunId,
                             long startTimeMillis) {
        return createRun(experimentId, runName, tags, parentRunId);
    }

    /** Active runs of the experiment whose tag {@code tagKey} has exactly {@code value}, all pages. */
    List<RunInfo> findRunsByTag(String experimentId, String tagKey, String value);

    /** The server's rules for keys and values, to check an operation before it is queued. */
    TrackingNames names();

    /** Runs in the experiments that match an MLflow search filter (AND-only syntax), all pages. */
    List<RunInfo> searchRuns(List<String> experimentIds, String filter);

    RunInfo getRun(String runId);

    /** Logs params, chunked to the server's per-request limits. Same value again is fine; a changed one throws. */
    void logParams(String runId, Map<String, String> params);

    /** Logs metric points, chunked; timestamps always sent. Not idempotent (MLflow appends). */
    void logMetrics(String runId, List<MetricPoint> points);

    void setTags(String runId, Map<String, String> tags);

    /** Sets the status; RUNNING re-opens a run without touching end_time, terminal states set it. */
    void setStatus(String runId, RunStatus status);

    /**
     * As {@link #setStatus(String, RunStatus)}, with the end time of a terminal state given by the caller
     * (so a replayed update writes the same value). The default ignores {@code endTimeMillis}.
     */
    default void setStatus(String runId, RunStatus status, long endTimeMillis) {
        setStatus(runId, status);
    }

    /** Uploads one file to {@code artifactDir/fileName} of the run's artifact root, over the artifact proxy. */
    void uploadArtifact(String runId, Path localFile, String artifactDir);

    /** Uploads a directory tree under {@code artifactDir}. */
    void uploadArtifacts(String runId, Path localDir, String artifactDir);

    /** Direct children of {@code path} ("" = root) in the run's artifacts. */
    List<ArtifactEntry> listArtifacts(String runId, String path);

    byte[] downloadArtifact(String runId, String path);

    /** The full history of one metric, paging past the server's page size. */
    List<MetricPoint> metricHistory(String runId, String key);

    /** Experiment lookup by name. */
    Optional<String> findExperiment(String name);

    /**
     * Sets a tag on an experiment (e.g. the one that picks the MLflow UI's view). Idempotent: the
     * same value again changes nothing. Trackers without experiment tags refuse.
     */
    default void setExperimentTag(String experimentId, String key, String value) {
        throw new UnsupportedOperationException("this tracker has no experiment tags");
    }

    /** The experiment's tags (empty for trackers without them). */
    default Map<String, String> experimentTags(String experimentId) {
        return Map.of();
    }

    /**
     * Records datasets as inputs of a run, so that the UI's Dataset column and filters work. The
     * server keeps one input per (dataset name, digest, context), so repeating the call adds nothing.
     */
    default void logInputs(String runId, List<DatasetInput> inputs) {
        throw new UnsupportedOperationException("this tracker has no dataset inputs");
    }

    /** The dataset inputs of a run as the server reports them (empty for trackers without them). */
    default List<DatasetInput> datasetInputs(String runId) {
        return List.of();
    }

    @Override
    void close();

    /**
     * A dataset a run read. {@code context} is the role ("train", "test"), shown beside the name in
     * the UI; {@code source} and {@code profile} are JSON strings, {@code schema} is free text.
     */
    record DatasetInput(String name, String digest, String context, String sourceType, String source, String schema,
                        String profile) { }

    record RunRef(String runId, String experimentId, String artifactUri) { }

    record ArtifactEntry(String path, boolean directory, long size) { }
}
