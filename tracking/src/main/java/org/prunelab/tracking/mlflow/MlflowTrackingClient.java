package org.prunelab.tracking.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.RunsPage;
import org.prunelab.tracking.MetricPoint;
import org.prunelab.tracking.RunInfo;
import org.prunelab.tracking.RunStatus;
import org.prunelab.tracking.TrackingClient;
import org.prunelab.tracking.TrackingException;
import org.prunelab.tracking.TrackingNames;

/**
 * {@link TrackingClient} over an MLflow 3.x server.
 *
 * <p><b>Which tool for which call.</b> mlflow-client 2.17.2 (always under {@link GuardedMlflowClient}'s
 * time limit) is used where its defects cannot hurt: experiment lookup/creation, runs/get, runs/search,
 * and params and tags via log-batch. Those are idempotent (same param again = 200, tags overwrite), so
 * its blind retry of every 4xx/5xx costs requests and log noise but cannot change what MLflow stores.
 *
 * <p>Raw REST ({@link RestCaller}, one attempt, caller decides on retries) where the client cannot meet
 * the bar:
 * <ul>
 *   <li>metrics (runs/log-batch): append-only on the server, so the client's blind resend after a 5xx
 *       could add duplicate points; we also need control over NaN/Infinity encoding and timestamps;</li>
 *   <li>runs/create: not idempotent either; a blind resend after a 5xx can create a second run;</li>
 *   <li>metric history: the client throws UnsupportedOperationException once the server pages;</li>
 *   <li>runs/update: setTerminated always sends end_time, and re-opening as RUNNING must not;</li>
 *   <li>artifacts: the client shells out to Python; we use the server's artifact proxy;</li>
 *   <li>/version: not under api/2.0/mlflow, which is all the client can reach.</li>
 * </ul>
 */
public final class MlflowTrackingClient implements TrackingClient {
    static final int MAX_PARAMS_PER_BATCH = 100;
    static final int MAX_TAGS_PER_BATCH = 100;
    static final int MAX_METRICS_PER_BATCH = 1000;
    /** Server-side page limit for get-history is 25,000 in the REST API; ask for the maximum. */
    static final int HISTORY_PAGE_SIZE = 25_000;
    private static final String API = "/api/2.0/mlflow/";

    private final String uri;
    private final TrackingOptions options;
    private final ObjectMapper json = new ObjectMapper();
    private final RestCaller rest;
    private final GuardedMlflowClient client;
    private final ArtifactProxy artifacts;

    MlflowTrackingClient(String uri, TrackingOptions options) {
        this.uri = uri;
        this.options = options;
        this.rest = new RestCaller(uri, options);
        this.artifacts = new ArtifactProxy(rest, runId -> getRun(runId).artifactUri());
        this.client = new GuardedMlflowClient(uri, options);
    }

    @Override
    public String trackingUri() {
        return uri;
    }

    public TrackingOptions options() {
        return options;
    }

    @Override
    public String serverVersion() {
        return rest.getText("GET /version", "/version").strip();
    }

    @Override
    public Optional<String> findExperiment(String name) {
        return client.call("get experiment '" + name + "'",
                c -> c.getExperimentByName(name).map(Service.Experiment::getExperimentId));
    }

    @Override
    public String getOrCreateExperiment(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("experiment name is empty");
        }
        Optional<String> existing = findExperiment(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            return client.call("create experiment '" + name + "'", c -> c.createExperiment(name));
        } catch (TrackingException e) {
            // A concurrent creator won the race: the server says RESOURCE_ALREADY_EXISTS; read theirs.
            if (e.httpStatus() == 400 && String.valueOf(e.getMessage()).contains("RESOURCE_ALREADY_EXISTS")) {
                return findExperiment(name).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    @Override
    public RunRef createRun(String experimentId, String runName, Map<String, String> tags) {
        return createRun(experimentId, runName, tags, System.currentTimeMillis());
    }

    private RunRef createRun(String experimentId, String runName, Map<String, String> tags, long startTimeMillis) {
        Map<String, String> all = new LinkedHashMap<>(tags == null ? Map.of() : tags);
        all.forEach(MlflowNames::validateTag);
        if (runName != null) {
            all.put("mlflow.runName", runName);
        }
        ObjectNode body = json.createObjectNode();
        body.put("experiment_id", experimentId);
        if (runName != null) {
            body.put("run_name", runName);
        }
        body.put("start_time", startTimeMillis);
        ArrayNode t = body.putArray("tags");
        all.forEach((k, v) -> t.addObject().put("key", k).put("value", v));
        JsonNode info = parse(rest.postJson("create run", API + "runs/create", body.toString())).path("run").path("info");
        return new RunRef(info.path("run_id").asText(), info.path("experiment_id").asText(), info.path("artifact_uri").asText());
    }

    @Override
    public RunInfo getRun(String runId) {
        Service.Run run = client.call("get run " + runId, c -> c.getRun(runId));
        return toRunInfo(run);
    }

    @Override
    public List<RunInfo> searchRuns(List<String> experimentIds, String filter) {
        List<RunInfo> out = new ArrayList<>();
        String f = filter == null ? "" : filter;
        RunsPage page = client.call("search runs", c -> c.searchRuns(experimentIds, f, Service.ViewType.ACTIVE_ONLY, 1000, List.of()));
        while (true) {
            page.getItems().forEach(r -> out.add(toRunInfo(r)));
            Optional<String> token = page.getNextPageToken();
            if (token.isEmpty() || token.get().isEmpty()) {
                return out;
            }
            String tok = token.get();
            page = client.call("search runs", c -> c.searchRuns(experimentIds, f, Service.ViewType.ACTIVE_ONLY, 1000, List.of(), tok));
        }
    }

    @Override
    public void logParams(String runId, Map<String, String> params) {
        params.forEach(MlflowNames::validateParam);
        List<Service.Param> all = new ArrayList<>();
        params.forEach((k, v) -> all.add(Service.Param.newBuilder().setKey(k).setValue(v).build()));
        for (int i = 0; i < all.size(); i += MAX_PARAMS_PER_BATCH) {
            List<Service.Param> chunk = all.subList(i, Math.min(all.size(), i + MAX_PARAMS_PER_BATCH));
            client.call("log params to run " + runId, c -> {
                c.logBatch(runId, List.of(), chunk, List.of());
                return null;
            });
        }
    }

    @Override
    public void setTags(String runId, Map<String, String> tags) {
        tags.forEach(MlflowNames::validateTag);
        List<Service.RunTag> all = new ArrayList<>();
        tags.forEach((k, v) -> all.add(Service.RunTag.newBuilder().setKey(k).setValue(v).build()));
        for (int i = 0; i < all.size(); i += MAX_TAGS_PER_BATCH) {
            List<Service.RunTag> chunk = all.subList(i, Math.min(all.size(), i + MAX_TAGS_PER_BATCH));
            client.call("set tags on run " + runId, c -> {
                c.logBatch(runId, List.of(), List.of(), chunk);
                return null;
            });
        }
    }

    /**
     * One attempt per chunk of at most 1,000 points, never retried here. If a chunk fails, earlier
     * chunks are already stored; the exception says how many points were sent before it.
     */
    @Override
    public void logMetrics(String runId, List<MetricPoint> points) {
        for (MetricPoint p : points) {
            MlflowNames.validateKey("metric", p.key());
            if (p.timestampMillis() < 0) {
                throw new IllegalArgumentException("metric '" + p.key() + "' step " + p.step() + " has a negative timestamp");
            }
        }
        for (int i = 0; i < points.size(); i += MAX_METRICS_PER_BATCH) {
            ObjectNode body = json.createObjectNode();
            body.put("run_id", runId);
            ArrayNode arr = body.putArray("metrics");
            for (MetricPoint p : points.subList(i, Math.min(points.size(), i + MAX_METRICS_PER_BATCH))) {
                ObjectNode m = arr.addObject();
                m.put("key", p.key());
                MetricJson.putValue(m, "value", p.value());
                m.put("timestamp", p.timestampMillis());
                m.put("step", p.step());
            }
            try {
                rest.postJson("log metrics to run " + runId, API + "runs/log-batch", body.toString());
            } catch (TrackingException e) {
                if (i == 0) {
                    throw e;
                }
                throw new TrackingException(e.getMessage() + " (after " + i + " of " + points.size() + " points were stored)",
                        e.httpStatus(), e.retryable(), e);
            }
        }
    }

    @Override
    public void setStatus(String runId, RunStatus status) {
        setStatus(runId, status, System.currentTimeMillis());
    }

    /**
     * runs/update changes only the fields present. RUNNING is sent without end_time so that re-opening
     * a run leaves it alone (mlflow-client's setTerminated cannot do that); terminal states carry
     * {@code endTimeMillis}, which lets a replayed status update write the same value again.
     */
    @Override
    public void setStatus(String runId, RunStatus status, long endTimeMillis) {
        ObjectNode body = json.createObjectNode();
        body.put("run_id", runId);
        body.put("status", status.name());
        if (status.terminal()) {
            body.put("end_time", endTimeMillis);
        }
        rest.postJson("set status " + status + " on run " + runId, API + "runs/update", body.toString());
    }

    @Override
    public List<MetricPoint> metricHistory(String runId, String key) {
        List<MetricPoint> out = new ArrayList<>();
        String token = null;
        do {
            String q = API + "metrics/get-history?run_id=" + ArtifactPaths.query(runId) + "&metric_key=" + ArtifactPaths.query(key)
                    + "&max_results=" + HISTORY_PAGE_SIZE + (token == null ? "" : "&page_token=" + ArtifactPaths.query(token));
            JsonNode page = parse(rest.getText("metric history of '" + key + "' in run " + runId, q));
            for (JsonNode m : page.path("metrics")) {
                out.add(new MetricPoint(m.path("key").asText(key), MetricJson.readValue(m.get("value")),
                        MetricJson.readLong(m.get("timestamp")), MetricJson.readLong(m.get("step"))));
            }
            token = page.path("next_page_token").asText(null);
        } while (token != null && !token.isEmpty());
        return out;
    }

    /** experiments/set-experiment-tag: overwrites, so repeating it is harmless. */
    @Override
    public void setExperimentTag(String experimentId, String key, String value) {
        MlflowNames.validateTag(key, value);
        ObjectNode body = json.createObjectNode();
        body.put("experiment_id", experimentId);
        body.put("key", key);
        body.put("value", value);
        rest.postJson("set tag " + key + " on experiment " + experimentId, API + "experiments/set-experiment-tag",
                body.toString());
    }

    @Override
    public Map<String, String> experimentTags(String experimentId) {
        JsonNode res = parse(rest.getText("get experiment " + experimentId,
                API + "experiments/get?experiment_id=" + ArtifactPaths.query(experimentId)));
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode t : res.path("experiment").path("tags")) {
            tags.put(t.path("key").asText(), t.path("value").asText());
        }
        return tags;
    }

    /**
     * runs/log-inputs. The server deduplicates datasets per experiment by (name, digest) and inputs
     * per run, so a replay after a lost reply adds nothing.
     */
    @Override
    public void logInputs(String runId, List<DatasetInput> inputs) {
        ObjectNode body = json.createObjectNode();
        body.put("run_id", runId);
        ArrayNode datasets = body.putArray("datasets");
        for (DatasetInput in : inputs) {
            ObjectNode entry = datasets.addObject();
            if (in.context() != null) {
                entry.putArray("tags").addObject().put("key", "mlflow.data.context").put("value", in.context());
            }
            ObjectNode d = entry.putObject("dataset");
            d.put("name", in.name());
            d.put("digest", in.digest());
            d.put("source_type", in.sourceType());
            d.put("source", in.source());
            if (in.schema() != null) {
                d.put("schema", in.schema());
            }
            if (in.profile() != null) {
                d.put("profile", in.profile());
            }
        }
        rest.postJson("log " + inputs.size() + " dataset inputs to run " + runId, API + "runs/log-inputs", body.toString());
    }

    @Override
    public List<DatasetInput> datasetInputs(String runId) {
        JsonNode res = parse(rest.getText("get run " + runId, API + "runs/get?run_id=" + ArtifactPaths.query(runId)));
        List<DatasetInput> out = new ArrayList<>();
        for (JsonNode in : res.path("run").path("inputs").path("dataset_inputs")) {
            String context = null;
            for (JsonNode t : in.path("tags")) {
                if ("mlflow.data.context".equals(t.path("key").asText())) {
                    context = t.path("value").asText();
                }
            }
            JsonNode d = in.path("dataset");
            out.add(new DatasetInput(d.path("name").asText(), d.path("digest").asText(), context,
                    d.path("source_type").asText(), d.path("source").asText(), d.path("schema").asText(null),
                    d.path("profile").asText(null)));
        }
        return out;
    }

    // ---- artifacts over the proxy (ArtifactProxy) ---------------------------------------------

    @Override
    public void uploadArtifact(String runId, Path localFile, String artifactDir) {
        artifacts.upload(runId, localFile, artifactDir);
    }

    /** Regular files only; symbolic links (to files or directories) are skipped, not followed. */
    @Override
    public void uploadArtifacts(String runId, Path localDir, String artifactDir) {
        artifacts.uploadDirectory(runId, localDir, artifactDir);
    }

    /** Entries' paths are relative to the run's artifact root (as MLflow reports them). */
    @Override
    public List<ArtifactEntry> listArtifacts(String runId, String path) {
        return artifacts.list(runId, path);
    }

    /** Downloads through the artifact proxy, the same route uploads use. */
    @Override
    public byte[] downloadArtifact(String runId, String path) {
        return artifacts.download(runId, path);
    }

    // ---- tracker-neutral helpers (the outbox uses these and so knows nothing of MLflow) ----------

    @Override
    public RunRef createRun(String experimentId, String runName, Map<String, String> tags, String parentRunId) {
        return createRun(experimentId, runName, tags, parentRunId, System.currentTimeMillis());
    }

    @Override
    public RunRef createRun(String experimentId, String runName, Map<String, String> tags, String parentRunId,
                            long startTimeMillis) {
        Map<String, String> all = new LinkedHashMap<>(tags == null ? Map.of() : tags);
        if (parentRunId != null) {
            all.put(MlflowNames.PARENT_RUN_TAG, parentRunId);
        }
        return createRun(experimentId, runName, all, startTimeMillis);
    }

    @Override
    public List<RunInfo> findRunsByTag(String experimentId, String tagKey, String value) {
        MlflowNames.validateKey("tag", tagKey);
        MlflowNameRules.INSTANCE.validateSearchableTagValue(tagKey, value);
        char q = value.contains("'") ? '"' : '\'';
        String filter = "tags.`" + tagKey + "` = " + q + value + q;
        // The filter is matched again here: a server's LIKE-style collation must not hand us a near miss.
        return searchRuns(List.of(experimentId), filter).stream().filter(r -> value.equals(r.tags().get(tagKey))).toList();
    }

    @Override
    public TrackingNames names() {
        return MlflowNameRules.INSTANCE;
    }

    // ---- conversion ---------------------------------------------------------------------------

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new TrackingException("server answered with invalid JSON: " + e.getMessage(), -1, false, e);
        }
    }

    private static RunInfo toRunInfo(Service.Run run) {
        Service.RunInfo i = run.getInfo();
        Map<String, String> params = new HashMap<>();
        run.getData().getParamsList().forEach(p -> params.put(p.getKey(), p.getValue()));
        Map<String, String> tags = new HashMap<>();
        run.getData().getTagsList().forEach(t -> tags.put(t.getKey(), t.getValue()));
        Map<String, Double> metrics = new HashMap<>();
        run.getData().getMetricsList().forEach(m -> metrics.put(m.getKey(), m.getValue()));
        String name = i.getRunName().isEmpty() ? tags.getOrDefault("mlflow.runName", "") : i.getRunName();
        return new RunInfo(i.getRunId(), i.getExperimentId(), name, RunStatus.valueOf(i.getStatus().name()), i.getArtifactUri(),
                i.getStartTime(), i.getEndTime(), Map.copyOf(params), Map.copyOf(tags), Map.copyOf(metrics));
    }

    @Override
    public void close() {
        client.close();
    }
}
