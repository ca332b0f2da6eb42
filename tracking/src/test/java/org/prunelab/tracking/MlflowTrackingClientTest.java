package org.prunelab.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.tracking.TrackingClient.ArtifactEntry;
import org.prunelab.tracking.TrackingClient.RunRef;
import org.prunelab.tracking.mlflow.MlflowTrackingClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class MlflowTrackingClientTest {
    private static final Logger LOG = LoggerFactory.getLogger(MlflowTrackingClientTest.class);
    private static MlflowTrackingClient client;
    private static String experimentId;

    @BeforeAll
    static void connect() {
        client = RealServer.client();
        experimentId = client.getOrCreateExperiment(RealServer.unique("client-test"));
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void serverVersionIsReported() {
        String v = client.serverVersion();
        LOG.info("MLflow server version: {}", v);
        System.out.println("MLflow server version: " + v);
        assertTrue(v.matches("\\d+\\.\\d+.*"), v);
    }

    @Test
    void experimentGetOrCreateIsIdempotentUnderARace() throws Exception {
        String name = RealServer.unique("race");
        CyclicBarrier barrier = new CyclicBarrier(2);
        CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> awaitThen(barrier, () -> client.getOrCreateExperiment(name)));
        CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> awaitThen(barrier, () -> client.getOrCreateExperiment(name)));
        String idA = a.get();
        assertEquals(idA, b.get());
        assertEquals(idA, client.getOrCreateExperiment(name));
        assertEquals(idA, client.findExperiment(name).orElseThrow());
        assertTrue(client.findExperiment(RealServer.unique("absent")).isEmpty());
    }

    private static <T> T awaitThen(CyclicBarrier barrier, java.util.function.Supplier<T> s) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return s.get();
    }

    @Test
    void searchByParentTagReturnsExactlyTheChildren() {
        RunRef parent = client.createRun(experimentId, "parent", Map.of("pipeline.stage", "pipeline"));
        Set<String> children = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            children.add(client.createRun(experimentId, "stage-" + i,
                    Map.of("mlflow.parentRunId", parent.runId(), "pipeline.stage_index", Integer.toString(i))).runId());
        }
        client.createRun(experimentId, "unrelated", Map.of());
        List<RunInfo> found = client.searchRuns(List.of(experimentId), "tags.`mlflow.parentRunId` = '" + parent.runId() + "'");
        assertEquals(children, found.stream().map(RunInfo::runId).collect(Collectors.toSet()));
        RunInfo one = client.getRun(found.get(0).runId());
        assertEquals(parent.runId(), one.tags().get("mlflow.parentRunId"));
        assertTrue(one.runName().startsWith("stage-"));
        assertEquals(RunStatus.RUNNING, one.status());
    }

    @Test
    void paramsAndMetricsAreChunkedAndReadBackExactly() {
        RunRef run = client.createRun(experimentId, "chunking", Map.of());
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < 250; i++) {
            params.put("p." + i, "value " + i);
        }
        client.logParams(run.runId(), params);
        List<MetricPoint> points = new ArrayList<>();
        long t0 = System.currentTimeMillis();
        for (int k = 0; k < 5; k++) {
            for (int s = 0; s < 500; s++) {
                points.add(new MetricPoint("m" + k, k * 1000 + s + 0.25, t0 + s, s));
            }
        }
        client.logMetrics(run.runId(), points);
        RunInfo info = client.getRun(run.runId());
        assertEquals(params, info.params());
        for (int k = 0; k < 5; k++) {
            List<MetricPoint> h = client.metricHistory(run.runId(), "m" + k);
            assertEquals(500, h.size());
            for (int s = 0; s < 500; s++) {
                assertEquals(s, h.get(s).step());
                assertEquals(k * 1000 + s + 0.25, h.get(s).value());
                assertEquals(t0 + s, h.get(s).timestampMillis());
            }
            assertEquals(k * 1000 + 499.25, info.latestMetrics().get("m" + k));
        }
    }

    @Test
    void invalidKeysAreRejectedLocallyNamingTheKey() {
        RunRef run = client.createRun(experimentId, "bad-keys", Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> client.logParams(run.runId(), Map.of("ok", "1", "lr(init)", "0.1")));
        assertTrue(e.getMessage().contains("lr(init)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> client.logMetrics(run.runId(), List.of(new MetricPoint("a/../b", 1, 1, 1))));
        assertTrue(e.getMessage().contains("a/../b"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> client.setTags(run.runId(), Map.of("/abs", "x")));
        assertTrue(e.getMessage().contains("/abs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> client.logParams(run.runId(), Map.of("config", "x".repeat(6001))));
        assertTrue(e.getMessage().contains("config"), e.getMessage());
        assertTrue(client.getRun(run.runId()).params().isEmpty(), "nothing was sent");
    }

    @Test
    void reloggingAParamWithTheSameValueIsFineAndAChangedValueIsRefused() {
        RunRef run = client.createRun(experimentId, "param-conflict", Map.of());
        client.logParams(run.runId(), Map.of("seed", "42"));
        client.logParams(run.runId(), Map.of("seed", "42"));
        TrackingException e = assertThrows(TrackingException.class, () -> client.logParams(run.runId(), Map.of("seed", "43")));
        assertEquals(400, e.httpStatus());
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("INVALID_PARAMETER_VALUE"), e.getMessage());
        assertEquals("42", client.getRun(run.runId()).params().get("seed"));
    }

    @Test
    void longMetricHistoryIsPagedInOrder() {
        RunRef run = client.createRun(experimentId, "history", Map.of());
        int n = 30_000;
        List<MetricPoint> points = new ArrayList<>(n);
        long t0 = 1_700_000_000_000L;
        for (int s = 0; s < n; s++) {
            points.add(new MetricPoint("loss", 1.0 / (s + 1), t0 + s, s));
        }
        long start = System.nanoTime();
        client.logMetrics(run.runId(), points);
        List<MetricPoint> h = client.metricHistory(run.runId(), "loss");
        LOG.info("30,000 points logged and read back in {} ms", (System.nanoTime() - start) / 1_000_000);
        assertEquals(n, h.size());
        for (int s = 0; s < n; s++) {
            assertEquals(s, h.get(s).step());
            assertEquals(1.0 / (s + 1), h.get(s).value());
        }
    }

    @Test
    void nanIsStoredAndInfinityIsAccepted() {
        RunRef run = client.createRun(experimentId, "nan", Map.of());
        client.logMetrics(run.runId(), List.of(new MetricPoint("x", Double.NaN, 1, 0),
                new MetricPoint("x", Double.POSITIVE_INFINITY, 2, 1), new MetricPoint("x", Double.NEGATIVE_INFINITY, 3, 2)));
        List<MetricPoint> h = client.metricHistory(run.runId(), "x");
        assertEquals(3, h.size());
        assertTrue(Double.isNaN(h.get(0).value()));
        // The SQL store clamps infinities to +/-Double.MAX_VALUE.
        assertTrue(h.get(1).value() >= Double.MAX_VALUE, "got " + h.get(1).value());
        assertTrue(h.get(2).value() <= -Double.MAX_VALUE, "got " + h.get(2).value());
    }

    @Test
    void statusRunningFinishedReopenedFinished() throws Exception {
        RunRef run = client.createRun(experimentId, "status", Map.of());
        assertEquals(RunStatus.RUNNING, client.getRun(run.runId()).status());
        client.setStatus(run.runId(), RunStatus.FINISHED, 1_000_000L + client.getRun(run.runId()).startTime());
        RunInfo finished = client.getRun(run.runId());
        assertEquals(RunStatus.FINISHED, finished.status());
        assertEquals(1_000_000L + finished.startTime(), finished.endTime());
        client.setStatus(run.runId(), RunStatus.RUNNING);
        RunInfo reopened = client.getRun(run.runId());
        assertEquals(RunStatus.RUNNING, reopened.status());
        assertEquals(finished.endTime(), reopened.endTime(), "re-opening must not touch end_time");
        Thread.sleep(5);
        client.setStatus(run.runId(), RunStatus.FINISHED);
        RunInfo again = client.getRun(run.runId());
        assertEquals(RunStatus.FINISHED, again.status());
        assertTrue(again.endTime() > again.startTime());
    }

    @Test
    void artifactsUploadListDownload(@TempDir Path tmp) throws Exception {
        RunRef run = client.createRun(experimentId, "artifacts", Map.of());
        assertTrue(run.artifactUri().startsWith("mlflow-artifacts:"), run.artifactUri());
        Path small = Files.writeString(tmp.resolve("report.json"), "{\"acc\": 0.93}");
        client.uploadArtifact(run.runId(), small, "");

        Path tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("masks/layer 1"));
        byte[] big = new byte[3 << 20];
        new Random(7).nextBytes(big);
        Files.write(tree.resolve("masks/layer 1/mask ü 東京.npy"), big);
        Files.writeString(tree.resolve("masks/stats.csv"), "layer,sparsity\n1,0.9\n");
        Files.writeString(tree.resolve("top.txt"), "top");
        Files.createSymbolicLink(tree.resolve("link.txt"), tree.resolve("top.txt"));
        client.uploadArtifacts(run.runId(), tree, "stage/prune 1");

        Set<String> root = client.listArtifacts(run.runId(), "").stream().map(ArtifactEntry::path).collect(Collectors.toSet());
        assertEquals(Set.of("report.json", "stage"), root);
        Map<String, ArtifactEntry> layer = new HashMap<>();
        client.listArtifacts(run.runId(), "stage/prune 1/masks/layer 1").forEach(a -> layer.put(a.path(), a));
        ArtifactEntry mask = layer.get("stage/prune 1/masks/layer 1/mask ü 東京.npy");
        assertEquals(big.length, mask.size(), layer.toString());
        assertFalse(mask.directory());
        Set<String> top = client.listArtifacts(run.runId(), "stage/prune 1").stream().map(ArtifactEntry::path).collect(Collectors.toSet());
        assertEquals(Set.of("stage/prune 1/masks", "stage/prune 1/top.txt"), top, "symlink skipped");

        assertEquals(sha256(big), sha256(client.downloadArtifact(run.runId(), "stage/prune 1/masks/layer 1/mask ü 東京.npy")));
        assertArrayEquals(Files.readAllBytes(small), client.downloadArtifact(run.runId(), "report.json"));
        assertEquals("layer,sparsity\n1,0.9\n",
                new String(client.downloadArtifact(run.runId(), "stage/prune 1/masks/stats.csv"), StandardCharsets.UTF_8));
    }

    @Test
    void artifactPathTraversalIsRejectedLocally(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("x"), "x");
        String runId = "00000000000000000000000000000000"; // never reached: validation comes first
        for (String bad : List.of("../x", "a/../../x", "/etc", "a//b", "a\\b", "a/\u0001", "./a")) {
            assertThrows(IllegalArgumentException.class, () -> client.uploadArtifact(runId, f, bad), bad);
            assertThrows(IllegalArgumentException.class, () -> client.downloadArtifact(runId, bad), bad);
        }
    }

    @Test
    void getRunOfUnknownIdIsNotRetryable() {
        TrackingException e = assertThrows(TrackingException.class, () -> client.getRun("0123456789abcdef0123456789abcdef"));
        assertEquals(404, e.httpStatus());
        assertFalse(e.retryable());
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
