package org.prunelab.tracking;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.prunelab.tracking.mlflow.MlflowTrackingClient;
import org.prunelab.tracking.outbox.RunSpec;

/**
 * A fresh experiment on the real MLflow server for one outbox test class, and the runs its tests
 * journal: each found again by an idempotency tag ({@code keyTag} = the run's key), as the pipeline's
 * step and sweep runs are. Register it as a static {@code @RegisterExtension} field.
 */
public final class ServerExperiment implements BeforeAllCallback, AfterAllCallback {
    private final String prefix;
    private final String keyTag;
    private final String runKeyPrefix;
    private final String runName;
    private MlflowTrackingClient client;
    private String name;

    /** Runs get the local key {@code runKeyPrefix + key}, the name {@code runName} and the tag {@code keyTag = key}. */
    public ServerExperiment(String prefix, String keyTag, String runKeyPrefix, String runName) {
        this.prefix = prefix;
        this.keyTag = keyTag;
        this.runKeyPrefix = runKeyPrefix;
        this.runName = runName;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        client = RealServer.client();
        name = RealServer.unique(prefix);
        client.getOrCreateExperiment(name);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (client != null) {
            client.close();
        }
    }

    public MlflowTrackingClient client() {
        return client;
    }

    public String name() {
        return name;
    }

    public String keyTag() {
        return keyTag;
    }

    /** The spec of the run with this key, tagged so that an outbox finds it again on the server. */
    public RunSpec spec(String key) {
        return new RunSpec(runKeyPrefix + key, name, runName, Map.of(keyTag, key), keyTag, null);
    }

    /** The server's runs tagged with this key (one, unless something doubled it). */
    public List<RunInfo> runsWithKey(String key) {
        return client.findRunsByTag(client.findExperiment(name).orElseThrow(), keyTag, key);
    }

    /**
     * Points stamped with the time of logging, as a pipeline logs them: a computation repeated later
     * logs the same (key, step, value) with another timestamp, which MLflow stores as a second
     * point (only a point identical in every field, timestamp included, is stored once).
     */
    public static List<MetricPoint> lossEpochs(int from, int to) {
        List<MetricPoint> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int s = from; s <= to; s++) {
            out.add(new MetricPoint("loss", 1.0 / s, now + s, s));
        }
        return out;
    }
}
