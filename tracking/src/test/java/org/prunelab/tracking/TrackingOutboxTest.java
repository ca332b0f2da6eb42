package org.prunelab.tracking;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.tracking.TrackingClient.ArtifactEntry;
import org.prunelab.tracking.mlflow.MlflowTracking;
import org.prunelab.tracking.mlflow.MlflowTrackingClient;
import org.prunelab.tracking.mlflow.TrackingOptions;
import org.prunelab.tracking.outbox.FlushResult;
import org.prunelab.tracking.outbox.TrackingOutbox;

class TrackingOutboxTest {
    private static MlflowTrackingClient real;
    private static String experimentId;

    @BeforeAll
    static void connect() {
        real = RealServer.client();
        experimentId = real.getOrCreateExperiment(RealServer.unique("outbox-test"));
    }

    @AfterAll
    static void close() {
        if (real != null) {
            real.close();
        }
    }

    private static List<MetricPoint> steps(String key, int from, int to) {
        List<MetricPoint> out = new ArrayList<>();
        for (int s = from; s < to; s++) {
            out.add(new MetricPoint(key, s * 0.5, 1_700_000_000_000L + s, s));
        }
        return out;
    }

    private static void assertEachStepOnce(String runId, String key, int n) {
        List<MetricPoint> h = real.metricHistory(runId, key);
        assertEquals(n, h.size(), key + " history size");
        List<Long> stepsSeen = h.stream().map(MetricPoint::step).sorted().toList();
        for (int s = 0; s < n; s++) {
            assertEquals(s, stepsSeen.get(s));
        }
    }

    @Test
    void outageCrashTornLineThenEverythingArrivesExactlyOnce(@TempDir Path tmp) throws Exception {
        String runId = real.createRun(experimentId, "outage", Map.of()).runId();
        Path box = tmp.resolve("outbox");
        int refusedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusedPort = s.getLocalPort();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < 130; i++) {
            params.put("hp." + i, Integer.toString(i));
        }
        byte[] ckpt = new byte[200_000];
        new Random(3).nextBytes(ckpt);
        Path ckptFile = Files.write(tmp.resolve("model ü.ckpt"), ckpt);
        Path plots = tmp.resolve("plots");
        Files.createDirectories(plots.resolve("sub"));
        Files.writeString(plots.resolve("sub/curve.csv"), "step,loss\n0,1\n");

        MlflowTrackingClient down = MlflowTracking.connect("http://127.0.0.1:" + refusedPort,
                TrackingOptions.defaults().withCallTimeout(Duration.ofMillis(500)));
        TrackingOutbox first = TrackingOutbox.open(down, box);
        first.logParams(runId, params);
        first.setTags(runId, Map.of("pipeline.stage", "train"));
        for (int b = 0; b < 4; b++) {
            first.logMetrics(runId, steps("loss", b * 25, b * 25 + 25));
            first.logMetrics(runId, steps("acc", b * 25, b * 25 + 25));
        }
        first.uploadArtifact(runId, ckptFile, "checkpoints");
        Files.delete(ckptFile); // the outbox keeps its own copy
        first.uploadArtifacts(runId, plots, "plots");
        first.setStatus(runId, RunStatus.FINISHED);
        int journaled = 2 + 8 + 3;
        assertEquals(journaled, first.pending());
        FlushResult failed = first.flush();
        assertNotNull(failed.lastError());
        assertTrue(failed.lastError().retryable(), failed.lastError().getMessage());
        assertEquals(journaled, failed.pending());
        assertEquals(0, failed.delivered());
        // Crash: `first` is abandoned, not closed, and the process died mid-append.
        Files.write(box.resolve("journal.jsonl"), "{\"seq\":13,\"op\":\"metr".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
        down.close();

        TrackingOutbox second = TrackingOutbox.open(real, box);
        assertEquals(journaled, second.pending(), "torn line ignored, nothing lost");
        // The resumed stage re-logs steps 50..149: only 100..149 are new.
        assertEquals(50, second.logMetrics(runId, steps("loss", 50, 150)));
        FlushResult ok = second.flush();
        assertNull(ok.lastError());
        assertEquals(journaled + 1, ok.delivered());
        assertEquals(0, second.pending());

        TrackingOutbox third = TrackingOutbox.open(real, box); // another "restart": nothing left to send
        assertEquals(0, third.pending());
        assertEquals(0, third.flush().delivered());
        assertEquals(0, third.logMetrics(runId, steps("acc", 0, 100)));
        third.close();
        second.close();

        assertEachStepOnce(runId, "loss", 150);
        assertEachStepOnce(runId, "acc", 100);
        RunInfo info = real.getRun(runId);
        assertEquals(params, info.params());
        assertEquals("train", info.tags().get("pipeline.stage"));
        assertEquals(RunStatus.FINISHED, info.status());
        assertEquals(MlflowTrackingClientTest.sha256(ckpt),
                MlflowTrackingClientTest.sha256(real.downloadArtifact(runId, "checkpoints/model ü.ckpt")));
        assertEquals("step,loss\n0,1\n", new String(real.downloadArtifact(runId, "plots/sub/curve.csv"), StandardCharsets.UTF_8));
        assertEquals(Set.of("checkpoints", "plots"),
                real.listArtifacts(runId, "").stream().map(ArtifactEntry::path).collect(Collectors.toSet()));
        try (var blobs = Files.list(box.resolve("blobs"))) {
            assertEquals(0, blobs.count(), "delivered blobs are removed");
        }
    }

    @Test
    void lostResponseIsNotResentAfterCrash(@TempDir Path tmp) throws Exception {
        String runId = real.createRun(experimentId, "lost-response", Map.of()).runId();
        Path box = tmp.resolve("outbox");
        try (DroppingProxy proxy = new DroppingProxy(RealServer.uri());
             MlflowTrackingClient viaProxy = MlflowTracking.connect(proxy.uri(),
                     TrackingOptions.defaults().withCallTimeout(Duration.ofSeconds(1)))) {
            TrackingOutbox first = TrackingOutbox.open(viaProxy, box);
            first.logMetrics(runId, steps("m", 0, 1500)); // two log-batch requests
            proxy.dropResponses = true;
            FlushResult r = first.flush();
            assertNotNull(r.lastError());
            assertTrue(r.lastError().retryable());
            // The server applied the first chunk although we never heard back.
            await().atMost(Duration.ofSeconds(10)).until(() -> real.metricHistory(runId, "m").size() == 1000);

            proxy.dropResponses = false;
            proxy.resetConnections();
            TrackingOutbox second = TrackingOutbox.open(viaProxy, box); // after a crash
            FlushResult done = second.flush();
            assertNull(done.lastError(), () -> String.valueOf(done.lastError()));
            assertEquals(1000, done.skippedDuplicatePoints());
            assertEquals(0, second.pending());
            second.close();
        }
        assertEachStepOnce(runId, "m", 1500);
    }

    @Test
    void refusedEntryGoesToDeadLetterAndTheRestArrivesInTheBackground(@TempDir Path tmp) {
        String runId = real.createRun(experimentId, "dead-letter", Map.of()).runId();
        TrackingOutbox box = TrackingOutbox.open(real, tmp.resolve("outbox"));
        box.logParams(runId, Map.of("seed", "42"));
        box.logParams(runId, Map.of("seed", "43")); // changed value: 400, can never succeed
        box.logMetrics(runId, steps("loss", 0, 10));
        box.setTags(runId, Map.of("pipeline.stage", "eval"));
        box.start(Duration.ofMillis(200));
        await().atMost(Duration.ofSeconds(20)).until(() -> box.pending() == 0);
        box.close();

        List<JsonNode> dead = box.deadLetters();
        assertEquals(1, dead.size());
        assertEquals(1, dead.get(0).path("seq").asLong());
        assertEquals(400, dead.get(0).path("httpStatus").asInt());
        assertTrue(dead.get(0).path("reason").asText().contains("INVALID_PARAMETER_VALUE"), dead.get(0).toString());
        RunInfo info = real.getRun(runId);
        assertEquals("42", info.params().get("seed"));
        assertEquals("eval", info.tags().get("pipeline.stage"));
        assertEachStepOnce(runId, "loss", 10);
    }
}
