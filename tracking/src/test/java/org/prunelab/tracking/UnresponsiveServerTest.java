package org.prunelab.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.tracking.mlflow.MlflowTracking;
import org.prunelab.tracking.mlflow.MlflowTrackingClient;
import org.prunelab.tracking.mlflow.TrackingOptions;

/** Real sockets that misbehave: one accepts and never answers, one refuses. */
class UnresponsiveServerTest {
    private static final Duration LIMIT = Duration.ofMillis(500);

    private static Map<String, Consumer<TrackingClient>> calls(Path file) {
        Map<String, Consumer<TrackingClient>> m = new LinkedHashMap<>();
        String run = "0123456789abcdef0123456789abcdef";
        m.put("serverVersion", TrackingClient::serverVersion);
        m.put("findExperiment (mlflow-client)", c -> c.findExperiment("x"));
        m.put("getOrCreateExperiment (mlflow-client)", c -> c.getOrCreateExperiment("x"));
        m.put("getRun (mlflow-client)", c -> c.getRun(run));
        m.put("logParams (mlflow-client)", c -> c.logParams(run, Map.of("a", "1")));
        m.put("createRun", c -> c.createRun("1", "r", Map.of()));
        m.put("logMetrics", c -> c.logMetrics(run, List.of(new MetricPoint("m", 1, 1, 1))));
        m.put("setStatus", c -> c.setStatus(run, RunStatus.FINISHED));
        m.put("metricHistory", c -> c.metricHistory(run, "m"));
        m.put("uploadArtifact", c -> c.uploadArtifact(run, file, "d"));
        m.put("listArtifacts", c -> c.listArtifacts(run, ""));
        return m;
    }

    @Test
    void serverThatAcceptsButNeverAnswersTimesOutRetryably(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("f.txt"), "x");
        List<Socket> held = new ArrayList<>();
        try (ServerSocket hang = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!hang.isClosed()) {
                    try {
                        held.add(hang.accept()); // accept, read nothing, answer nothing
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            try (MlflowTrackingClient c = MlflowTracking.connect("http://127.0.0.1:" + hang.getLocalPort() + "/",
                    TrackingOptions.defaults().withCallTimeout(LIMIT).withConnectTimeout(Duration.ofSeconds(1)))) {
                assertEquals("http://127.0.0.1:" + hang.getLocalPort(), c.trackingUri());
                // Twice round: the mlflow-client pool has 2 connections per route, so stuck calls that
                // were not cleaned up would make the second round hang rather than time out.
                for (int round = 0; round < 2; round++) {
                    for (var call : calls(file).entrySet()) {
                        if (round == 1 && !call.getKey().contains("mlflow-client")) {
                            continue;
                        }
                        long t0 = System.nanoTime();
                        TrackingException e = assertThrows(TrackingException.class, () -> call.getValue().accept(c), call.getKey());
                        long ms = (System.nanoTime() - t0) / 1_000_000;
                        assertTrue(e.retryable(), call.getKey() + ": " + e.getMessage());
                        assertEquals(-1, e.httpStatus());
                        assertTrue(ms < LIMIT.toMillis() * 2 + 500, call.getKey() + " took " + ms + " ms");
                    }
                }
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void connectionRefusedIsRetryable(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("f.txt"), "x");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (MlflowTrackingClient c = MlflowTracking.connect("http://127.0.0.1:" + port,
                TrackingOptions.defaults().withCallTimeout(LIMIT))) {
            for (var call : calls(file).entrySet()) {
                TrackingException e = assertThrows(TrackingException.class, () -> call.getValue().accept(c), call.getKey());
                assertTrue(e.retryable(), call.getKey() + ": " + e.getMessage());
            }
        }
    }

    @Test
    void badUrisAreRejectedWithoutLeakingCredentials() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MlflowTracking.connect("file:///tmp/mlruns"));
        assertTrue(e.getMessage().contains("http"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MlflowTracking.connect("http://user:s3cret@localhost:5000"));
        assertTrue(!e.getMessage().contains("s3cret"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MlflowTracking.connect(""));
        var creds = TrackingOptions.Credentials.fromEnvironment(Map.of("MLFLOW_TRACKING_TOKEN", "tok123"));
        assertTrue(!creds.toString().contains("tok123"));
        assertTrue(!TrackingOptions.defaults().withCredentials(creds).toString().contains("tok123"));
    }
}
