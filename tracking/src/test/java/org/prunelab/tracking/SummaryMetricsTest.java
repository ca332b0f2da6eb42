package org.prunelab.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.tracking.mlflow.MlflowTrackingClient;
import org.prunelab.tracking.outbox.RunSpec;
import org.prunelab.tracking.outbox.TrackingOutbox;

/**
 * Summary metrics (step 0) whose value changes, e.g. a sweep's summary recomputed after more points
 * finished (issue 15: "nothing silently changed"). Before, points were deduplicated by (key, step),
 * so a new value at step 0 was never sent and MLflow kept showing the old one. Read back from the
 * real server: its latest value (what the UI shows) and the history at step 0.
 */
class SummaryMetricsTest {
    @RegisterExtension
    static final ServerExperiment SERVER = new ServerExperiment("summaries", "pipeline.sweep_id", "sweep-", "sweep");
    private static MlflowTrackingClient real;

    @BeforeAll
    static void connect() {
        real = SERVER.client();
    }

    private static RunSpec spec(String key) {
        return SERVER.spec(key);
    }

    private static List<MetricPoint> summary(double value, long timestamp) {
        return List.of(new MetricPoint("transition.critical", value, timestamp, 0));
    }

    private static String runIdOf(String key) {
        List<RunInfo> runs = SERVER.runsWithKey(key);
        assertEquals(1, runs.size(), "one run per key: " + runs);
        return runs.get(0).runId();
    }

    private static List<Double> history(String runId) {
        return real.metricHistory(runId, "transition.critical").stream()
                .sorted(Comparator.comparingLong(MetricPoint::timestampMillis)).map(MetricPoint::value).toList();
    }

    private static double shown(String runId) {
        return real.getRun(runId).latestMetrics().get("transition.critical");
    }

    @Test
    void aChangedSummaryReachesTheServerAndAnUnchangedOneIsNotDoubled(@TempDir Path tmp) {
        String key = RealServer.unique("sweep");
        long t = System.currentTimeMillis();
        Path box = tmp.resolve("runs-1/outbox");
        String runId;
        try (TrackingOutbox outbox = TrackingOutbox.open(real, box)) {
            String ref = outbox.ensureRun(spec(key));
            assertEquals(1, outbox.logMetrics(ref, summary(0.50, t)));
            assertEquals(0, outbox.logMetrics(ref, summary(0.50, t + 10)), "the same value again is not a new point");
            assertEquals(1, outbox.logMetrics(ref, summary(0.70, t + 20)), "a new value is");
            assertEquals(0, outbox.flush().pending());
            runId = runIdOf(key);
            assertEquals(0.70, shown(runId), "MLflow shows the new value");
        }
        try (TrackingOutbox resumed = TrackingOutbox.open(real, box)) { // the same runs directory, a new process
            String ref = resumed.ensureRun(spec(key));
            assertEquals(0, resumed.logMetrics(ref, summary(0.70, t + 30)), "unchanged across a resume");
            assertEquals(1, resumed.logMetrics(ref, summary(0.90, t + 40)), "changed across a resume");
            assertEquals(0, resumed.flush().pending());
        }
        assertEquals(List.of(0.50, 0.70, 0.90), history(runId));
        assertEquals(0.90, shown(runId));

        try (TrackingOutbox fresh = TrackingOutbox.open(real, tmp.resolve("runs-2/outbox"))) { // a fresh runs directory
            String ref = fresh.ensureRun(spec(key));
            fresh.logMetrics(ref, summary(0.90, t + 50)); // the server's latest value already: not sent
            assertEquals(0, fresh.flush().pending());
            assertEquals(List.of(0.50, 0.70, 0.90), history(runId), "a re-run with the same summary adds nothing");
            fresh.logMetrics(ref, summary(0.50, t + 60)); // back to an older value: it is the latest now, so sent
            assertEquals(0, fresh.flush().pending());
        }
        assertEquals(List.of(0.50, 0.70, 0.90, 0.50), history(runId));
        assertEquals(0.50, shown(runId));
    }

    /**
     * MLflow takes the point with the greatest (step, timestamp, value) as the latest: a smaller new
     * value stamped in the same millisecond as the old one (or earlier, a clock set back) would stay
     * hidden, so the outbox stamps it 1 ms after the value it replaces.
     */
    @Test
    void aSmallerNewValueStampedNoLaterThanTheOldOneStillBecomesTheLatest(@TempDir Path tmp) {
        String key = RealServer.unique("clock");
        long t = System.currentTimeMillis();
        try (TrackingOutbox outbox = TrackingOutbox.open(real, tmp.resolve("runs-1/outbox"))) {
            String ref = outbox.ensureRun(spec(key));
            outbox.logMetrics(ref, summary(0.9, t));
            outbox.logMetrics(ref, summary(0.4, t));
            assertEquals(0, outbox.flush().pending());
        }
        String runId = runIdOf(key);
        assertEquals(0.4, shown(runId));
        try (TrackingOutbox fresh = TrackingOutbox.open(real, tmp.resolve("runs-2/outbox"))) { // checked against the server
            String ref = fresh.ensureRun(spec(key));
            fresh.logMetrics(ref, summary(0.2, t - 1000));
            assertEquals(0, fresh.flush().pending());
        }
        assertEquals(0.2, shown(runId));
        assertEquals(List.of(0.9, 0.4, 0.2), history(runId));
    }

    /** Series points (step > 0) keep one point per (key, step): an epoch computed again is the same epoch. */
    @Test
    void aSeriesPointIsStillOnePerStepWhateverItsValue(@TempDir Path tmp) {
        String key = RealServer.unique("series");
        long t = System.currentTimeMillis();
        try (TrackingOutbox outbox = TrackingOutbox.open(real, tmp.resolve("outbox"))) {
            String ref = outbox.ensureRun(spec(key));
            outbox.logMetrics(ref, List.of(new MetricPoint("epoch_seconds", 1.5, t, 3)));
            assertEquals(0, outbox.logMetrics(ref, List.of(new MetricPoint("epoch_seconds", 1.7, t + 5, 3))));
            assertEquals(0, outbox.flush().pending());
        }
        assertEquals(List.of(1.5), real.metricHistory(runIdOf(key), "epoch_seconds").stream().map(MetricPoint::value).toList());
    }
}
