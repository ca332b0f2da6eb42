package org.prunelab.tracking;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.tracking.mlflow.MlflowTracking;
import org.prunelab.tracking.mlflow.MlflowTrackingClient;
import org.prunelab.tracking.mlflow.TrackingOptions;
import org.prunelab.tracking.outbox.FlushResult;
import org.prunelab.tracking.outbox.RunSpec;
import org.prunelab.tracking.outbox.TrackingOutbox;

/** Runs created through the outbox (ensureRun) while the server is down, after crashes, and twice. */
class DeferredRunCreationTest {
    private static final String STEP_KEY = "pipeline.step_key";
    private static MlflowTrackingClient real;

    @BeforeAll
    static void connect() {
        real = RealServer.client();
    }

    @AfterAll
    static void close() {
        if (real != null) {
            real.close();
        }
    }

    private static RunSpec spec(String localKey, String experiment, String stepKey, String parentLocalKey) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(STEP_KEY, stepKey);
        tags.put("pipeline.stage", localKey);
        return new RunSpec(localKey, experiment, localKey + "-run", tags, STEP_KEY, parentLocalKey);
    }

    private static List<MetricPoint> steps(String key, int from, int to) {
        List<MetricPoint> out = new ArrayList<>();
        for (int s = from; s < to; s++) {
            out.add(new MetricPoint(key, s * 0.25, 1_700_000_000_000L + s, s));
        }
        return out;
    }

    private static void assertEachStepOnce(String runId, String key, int n) {
        List<Long> seen = real.metricHistory(runId, key).stream().map(MetricPoint::step).sorted().toList();
        assertEquals(n, seen.size(), key + " history size");
        for (int s = 0; s < n; s++) {
            assertEquals(s, seen.get(s));
        }
    }

    private static List<RunInfo> runsIn(String experimentName) {
        String id = real.findExperiment(experimentName).orElseThrow();
        return real.searchRuns(List.of(id), "");
    }

    private static MlflowTrackingClient refused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return MlflowTracking.connect("http://127.0.0.1:" + port, TrackingOptions.defaults().withCallTimeout(Duration.ofMillis(500)));
    }

    @Test
    void parentChildParamsMetricsArtifactStatusEnqueuedWhileDownArriveOnceAfterRestart(@TempDir Path tmp) throws Exception {
        String experiment = RealServer.unique("deferred-outage"); // does not exist yet: created on delivery
        String pipelineKey = UUID.randomUUID().toString();
        Path box = tmp.resolve("outbox");
        byte[] ckpt = new byte[50_000];
        new Random(7).nextBytes(ckpt);
        Path ckptFile = Files.write(tmp.resolve("model.ckpt"), ckpt);

        MlflowTrackingClient down = refused();
        TrackingOutbox first = TrackingOutbox.open(down, box);
        String parent = first.ensureRun(spec("pipeline", experiment, pipelineKey, null));
        String child = first.ensureRun(spec("train", experiment, pipelineKey + "/train", "pipeline"));
        assertEquals("local:pipeline", parent);
        assertEquals("local:train", child);
        first.setTags(parent, Map.of("pipeline.config_hash", "abc123"));
        first.logParams(child, Map.of("lr", "0.1", "epochs", "30"));
        assertEquals(30, first.logMetrics(child, steps("loss", 0, 30)));
        assertEquals(3, first.logMetrics(parent, steps("sparsity", 0, 3)));
        first.uploadArtifact(child, ckptFile, "checkpoints");
        first.setStatus(child, RunStatus.FINISHED);
        int journaled = 2 + 1 + 1 + 2 + 1 + 1;
        assertEquals(journaled, first.pending());
        FlushResult failed = first.flush();
        assertEquals(0, failed.delivered());
        assertTrue(failed.lastError().retryable());
        assertTrue(first.lastError().isPresent(), "the pipeline can report: MLflow unreachable, N pending");
        assertTrue(first.resolvedRunId("pipeline").isEmpty());
        assertTrue(real.findExperiment(experiment).isEmpty(), "nothing reached the server");
        down.close(); // crash: `first` is abandoned, not closed

        TrackingOutbox second = TrackingOutbox.open(real, box);
        assertEquals(journaled, second.pending());
        assertEquals(parent, second.ensureRun(spec("pipeline", experiment, pipelineKey, null)), "resumed process, same key");
        assertEquals(child, second.ensureRun(spec("train", experiment, pipelineKey + "/train", "pipeline")));
        assertEquals(journaled, second.pending(), "no second create entry");
        assertEquals(10, second.logMetrics(child, steps("loss", 20, 40)), "steps 0..29 were journaled before the crash");
        FlushResult ok = second.flush();
        assertNull(ok.lastError(), () -> String.valueOf(ok.lastError()));
        assertEquals(journaled + 1, ok.delivered());
        assertEquals(0, ok.deadLettered());
        assertTrue(second.lastError().isEmpty());
        String parentId = second.resolvedRunId("pipeline").orElseThrow();
        String childId = second.resolvedRunId("train").orElseThrow();
        assertNotEquals(parentId, childId);

        // The resumed stage may log under the real id as well: the same points are still dropped.
        assertEquals(0, second.logMetrics(childId, steps("loss", 0, 40)));
        assertEquals(1, second.logMetrics(childId, steps("loss", 0, 41)));
        second.setStatus(parent, RunStatus.FINISHED);
        assertTrue(second.flush().complete());
        second.close();

        TrackingOutbox third = TrackingOutbox.open(real, box); // another restart: everything is known
        assertEquals(0, third.pending());
        assertEquals(childId, third.resolvedRunId("train").orElseThrow());
        assertEquals(child, third.ensureRun(spec("train", experiment, pipelineKey + "/train", "pipeline")));
        assertEquals(0, third.pending());
        assertEquals(0, third.logMetrics(child, steps("loss", 0, 41)));
        assertEquals(0, third.logMetrics(childId, steps("loss", 0, 41)));
        assertEquals(0, third.logMetrics(parentId, steps("sparsity", 0, 3)));
        third.close();

        List<RunInfo> runs = runsIn(experiment);
        assertEquals(2, runs.size(), () -> runs.stream().map(RunInfo::runName).collect(Collectors.joining(", ")));
        RunInfo p = real.getRun(parentId);
        RunInfo c = real.getRun(childId);
        assertEquals("pipeline-run", p.runName());
        assertEquals("train-run", c.runName());
        assertEquals(pipelineKey, p.tags().get(STEP_KEY));
        assertEquals("abc123", p.tags().get("pipeline.config_hash"));
        assertNull(p.tags().get("mlflow.parentRunId"));
        assertEquals(parentId, c.tags().get("mlflow.parentRunId"));
        assertEquals(Map.of("lr", "0.1", "epochs", "30"), c.params());
        assertEachStepOnce(childId, "loss", 41);
        assertEachStepOnce(parentId, "sparsity", 3);
        assertEquals(MlflowTrackingClientTest.sha256(ckpt), MlflowTrackingClientTest.sha256(real.downloadArtifact(childId, "checkpoints/model.ckpt")));
        assertEquals(RunStatus.FINISHED, c.status());
        assertEquals(RunStatus.FINISHED, p.status());
    }

    @Test
    void crashBetweenRunCreatedAndIdRecordedDoesNotCreateASecondRun(@TempDir Path tmp) throws Exception {
        String experiment = RealServer.unique("deferred-crash");
        String key = UUID.randomUUID().toString();
        Path box = tmp.resolve("outbox");
        TrackingOutbox first = TrackingOutbox.open(real, box);
        String parent = first.ensureRun(spec("pipeline", experiment, key, null));
        assertTrue(first.flush().complete());
        String parentId = first.resolvedRunId("pipeline").orElseThrow();
        // Crash after the server created the run, before state.json recorded it: rewind the state.
        Files.delete(box.resolve("state.json"));

        TrackingOutbox second = TrackingOutbox.open(real, box);
        assertEquals(1, second.pending(), "the create entry is due again");
        assertTrue(second.resolvedRunId("pipeline").isEmpty());
        assertEquals(parent, second.ensureRun(spec("pipeline", experiment, key, null)));
        String child = second.ensureRun(spec("prune-1", experiment, key + "/prune-1", "pipeline"));
        second.logMetrics(parent, steps("sparsity", 0, 5));
        second.setStatus(child, RunStatus.FINISHED);
        FlushResult ok = second.flush();
        assertNull(ok.lastError(), () -> String.valueOf(ok.lastError()));
        assertEquals(parentId, second.resolvedRunId("pipeline").orElseThrow(), "found again by its idempotency tag");
        second.close();

        List<RunInfo> runs = runsIn(experiment);
        assertEquals(2, runs.size(), "parent once, child once");
        RunInfo c = real.getRun(second.resolvedRunId("prune-1").orElseThrow());
        assertEquals(parentId, c.tags().get("mlflow.parentRunId"));
        assertEachStepOnce(parentId, "sparsity", 5);
    }

    @Test
    void lostCreateResponseIsNotRetriedIntoASecondRun(@TempDir Path tmp) throws Exception {
        String experiment = RealServer.unique("deferred-lost");
        String key = UUID.randomUUID().toString();
        Path box = tmp.resolve("outbox");
        try (DroppingProxy proxy = new DroppingProxy(RealServer.uri());
             MlflowTrackingClient viaProxy = MlflowTracking.connect(proxy.uri(),
                     TrackingOptions.defaults().withCallTimeout(Duration.ofSeconds(1)))) {
            TrackingOutbox first = TrackingOutbox.open(viaProxy, box);
            String ref = first.ensureRun(spec("pipeline", experiment, key, null));
            first.logMetrics(ref, steps("loss", 0, 4));
            proxy.dropResponsesToRequestsContaining = "runs/create";
            FlushResult r = first.flush();
            assertTrue(r.lastError().retryable(), () -> String.valueOf(r.lastError()));
            assertEquals(2, r.pending());
            // MLflow created the run although the answer never came back.
            await().atMost(Duration.ofSeconds(10)).until(() -> real.findExperiment(experiment).isPresent()
                    && runsIn(experiment).size() == 1);

            proxy.dropResponsesToRequestsContaining = null;
            proxy.resetConnections();
            FlushResult ok = first.flush(); // same process retries
            assertNull(ok.lastError(), () -> String.valueOf(ok.lastError()));
            first.close();
            List<RunInfo> runs = runsIn(experiment);
            assertEquals(1, runs.size());
            assertEquals(runs.get(0).runId(), first.resolvedRunId("pipeline").orElseThrow());
            assertEachStepOnce(runs.get(0).runId(), "loss", 4);
        }
    }

    @Test
    void ensureRunTwiceMakesOneRunWhichALocalRefCanReopen(@TempDir Path tmp) {
        String experiment = RealServer.unique("deferred-twice");
        String key = UUID.randomUUID().toString();
        TrackingOutbox box = TrackingOutbox.open(real, tmp.resolve("a"));
        String ref = box.ensureRun(spec("evaluate", experiment, key, null));
        assertEquals(ref, box.ensureRun(spec("evaluate", experiment, key, null)));
        assertEquals(1, box.pending());
        assertThrows(IllegalArgumentException.class, () -> box.ensureRun(spec("other", experiment, key, null)),
                "a second local key for the same server run");
        assertThrows(IllegalArgumentException.class, () -> box.ensureRun(spec("evaluate", experiment, key + "x", null)),
                "the same local key for another server run");
        assertThrows(IllegalArgumentException.class, () -> box.ensureRun(spec("child", experiment, key + "/c", "nope")),
                "unknown parent");
        assertThrows(IllegalArgumentException.class, () -> box.logParams("local:nope", Map.of("a", "b")),
                "unknown local reference");
        box.setStatus(ref, RunStatus.FINISHED);
        assertTrue(box.flush().complete());
        box.close();
        String runId = box.resolvedRunId("evaluate").orElseThrow();
        RunInfo finished = real.getRun(runId);
        assertEquals(RunStatus.FINISHED, finished.status());

        // A resumed process: same key, nothing new journaled; re-open through the local reference.
        TrackingOutbox again = TrackingOutbox.open(real, tmp.resolve("a"));
        assertEquals(ref, again.ensureRun(spec("evaluate", experiment, key, null)));
        assertEquals(0, again.pending());
        again.setStatus(ref, RunStatus.RUNNING);
        assertTrue(again.flush().complete());
        RunInfo reopened = real.getRun(runId);
        assertEquals(RunStatus.RUNNING, reopened.status());
        assertEquals(finished.endTime(), reopened.endTime(), "re-opening sends no end_time");
        again.close();

        // A fresh outbox directory (outbox wiped, another machine): the run is found by its tag.
        TrackingOutbox fresh = TrackingOutbox.open(real, tmp.resolve("b"));
        fresh.ensureRun(spec("evaluate", experiment, key, null));
        assertTrue(fresh.flush().complete());
        assertEquals(runId, fresh.resolvedRunId("evaluate").orElseThrow());
        fresh.close();
        assertEquals(1, runsIn(experiment).size());
    }

    @Test
    void whenSeveralRunsCarryTheKeyTheEarliestIsAdopted(@TempDir Path tmp) throws Exception {
        String experiment = RealServer.unique("deferred-several");
        String key = UUID.randomUUID().toString();
        String experimentId = real.getOrCreateExperiment(experiment);
        String earliest = real.createRun(experimentId, "a", Map.of(STEP_KEY, key)).runId();
        Thread.sleep(5);
        real.createRun(experimentId, "b", Map.of(STEP_KEY, key));
        real.createRun(experimentId, "other", Map.of(STEP_KEY, key + "-other"));
        TrackingOutbox box = TrackingOutbox.open(real, tmp.resolve("outbox"));
        box.ensureRun(spec("train", experiment, key, null));
        assertTrue(box.flush().complete());
        assertEquals(earliest, box.resolvedRunId("train").orElseThrow());
        box.close();
        assertEquals(3, runsIn(experiment).size());
    }

    @Test
    void refusedCreationDeadLettersItsEntriesAndCanBeEnsuredAgain(@TempDir Path tmp) throws Exception {
        String experiment = RealServer.unique("deferred-refused");
        String key = UUID.randomUUID().toString();
        String experimentId = real.getOrCreateExperiment(experiment);
        experimentLifecycle("delete", experimentId); // runs/create in a deleted experiment: 400
        TrackingOutbox box = TrackingOutbox.open(real, tmp.resolve("outbox"));
        String parent = box.ensureRun(spec("pipeline", experiment, key, null));
        String child = box.ensureRun(spec("train", experiment, key + "/train", "pipeline"));
        box.logMetrics(child, steps("loss", 0, 3));
        box.setStatus(parent, RunStatus.FINISHED);
        FlushResult r = box.flush();
        assertNull(r.lastError());
        assertEquals(4, r.deadLettered(), "the creation and everything that depends on it");
        assertEquals(400, box.deadLetters().get(0).path("httpStatus").asInt());
        assertTrue(box.resolvedRunId("pipeline").isEmpty());

        experimentLifecycle("restore", experimentId);
        assertEquals(parent, box.ensureRun(spec("pipeline", experiment, key, null)));
        assertEquals(1, box.pending(), "a refused creation may be journaled again");
        assertTrue(box.flush().complete());
        assertTrue(box.resolvedRunId("pipeline").isPresent());
        box.close();
        assertEquals(1, runsIn(experiment).size());
    }

    private static void experimentLifecycle(String action, String experimentId) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(RealServer.uri().replaceAll("/+$", "")
                        + "/api/2.0/mlflow/experiments/" + action))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"experiment_id\":\"" + experimentId + "\"}"))
                .timeout(Duration.ofSeconds(10)).build();
        assertEquals(200, http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode(), action);
    }
}
