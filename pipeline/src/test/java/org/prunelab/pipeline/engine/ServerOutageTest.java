package org.prunelab.pipeline.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.TestEnvironment;
import org.prunelab.pipeline.TinyConfigs;
import org.prunelab.tracking.MetricPoint;
import org.prunelab.tracking.RunInfo;
import org.prunelab.tracking.RunStatus;
import org.prunelab.tracking.TrackingClient;
import org.prunelab.tracking.mlflow.MlflowTracking;

/**
 * The real MLflow server is stopped while a pipeline trains and started again later on the same
 * database: the pipeline must keep computing, and afterwards every run, metric step and artifact
 * must be in MLflow exactly once.
 */
class ServerOutageTest {
    @TempDir
    Path work;
    private int port;
    private Path state;

    private void server(String action) throws Exception {
        Path script = TestEnvironment.projectRoot().resolve("scripts/mlflow-server.sh");
        Process p = new ProcessBuilder("bash", script.toString(), action, Integer.toString(port), state.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(150, TimeUnit.SECONDS), "mlflow-server.sh " + action + " hung");
        assertEquals(0, p.exitValue(), "mlflow-server.sh " + action + ":\n" + output);
    }

    @AfterEach
    void stopServer() throws Exception {
        if (state != null) {
            server("down");
        }
    }

    @Test
    void stopAndRestartServerMidRunLosesAndDuplicatesNothing() throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        state = work.resolve("mlflow-state");
        server("up");
        String uri = "http://127.0.0.1:" + port;
        Path config = TinyConfigs.write(work, "outage.yaml", "outage",
                "data: {dir: '" + TestEnvironment.mnistDir() + "', train_limit: 2000, test_limit: 100}",
                "model: {hidden: 32}",
                "train: {epochs: 8, batch_size: 20, k: 2, monitor_samples: 50}",
                "runtime: {checkpoint_every_updates: 20}",
                "retrain: {epochs: 2, batch_size: 50, monitor_samples: 50}");
        Path runs = work.resolve("runs");
        Path log = work.resolve("pipeline.log");
        Process pipeline = new ProcessBuilder(TinyConfigs.javaCommand("run", config.toString(), "--runs-dir",
                runs.toString(), "--tracking-uri", uri)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.readString(log).contains("train      running"));
            server("down");
            long before = LiveCheckpoints.furthest(runs);
            // Training goes on while the server is away: more epochs complete and are checkpointed.
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() ->
                    LiveCheckpoints.furthest(runs) >= before + 200 || !pipeline.isAlive()); // 2 epochs of 100 updates
            server("up");
            assertTrue(pipeline.waitFor(4, TimeUnit.MINUTES), "pipeline did not finish");
            assertEquals(0, pipeline.exitValue(), Files.readString(log));
        } finally {
            pipeline.destroyForcibly();
        }
        // Whatever the finished process could not deliver in time is delivered now.
        var sync = TinyConfigs.cli("sync", "--runs-dir", runs.toString(), "--tracking-uri", uri);
        assertEquals(0, sync.code(), sync.output());

        TrackingClient client = MlflowTracking.connect(uri);
        String experiment = client.findExperiment("outage").orElseThrow();
        List<RunInfo> all = client.searchRuns(List.of(experiment), "");
        assertEquals(8, all.size(), "one parent and seven step runs, no duplicates: " + all);
        all.forEach(r -> assertEquals(RunStatus.FINISHED, r.status(), r.runName()));
        RunInfo train = all.stream().filter(r -> "train".equals(r.tags().get("pipeline.step"))).findFirst().orElseThrow();
        for (String key : List.of("pll", "recon_error", "epoch_seconds")) {
            List<Long> steps = client.metricHistory(train.runId(), key).stream().map(MetricPoint::step).sorted().toList();
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), steps, key + " steps, each exactly once");
        }
        RunInfo evaluate = all.stream().filter(r -> "evaluate".equals(r.tags().get("pipeline.step"))).findFirst()
                .orElseThrow();
        Set<String> artifacts = client.listArtifacts(evaluate.runId(), "").stream()
                .map(TrackingClient.ArtifactEntry::path).collect(Collectors.toSet());
        assertTrue(artifacts.containsAll(Set.of("evaluation.json", "samples.png", "manifest.json")), artifacts.toString());
        Map<String, Integer> names = new HashMap<>();
        all.forEach(r -> names.merge(r.runName(), 1, Integer::sum));
        names.forEach((name, count) -> assertEquals(1, count, "run " + name + " exists " + count + " times"));
    }
}
