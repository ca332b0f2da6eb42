package org.prunelab.pipeline.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.TestEnvironment;
import org.prunelab.pipeline.cli.Main;
import org.prunelab.stages.io.Npy;
import org.prunelab.tracking.MetricPoint;
import org.prunelab.tracking.RunInfo;
import org.prunelab.tracking.RunStatus;
import org.prunelab.tracking.TrackingClient;
import org.prunelab.tracking.mlflow.MlflowTracking;

/**
 * Kills a real JVM with SIGKILL in the middle of training, runs the same command again, and
 * requires final weights bit-identical to an uninterrupted run, one MLflow run per step, and no
 * metric step logged twice.
 */
class KillAndResumeTest {
    @TempDir
    Path work;

    private Path writeConfig(String experiment) throws Exception {
        Path config = work.resolve("resume.yaml");
        Files.writeString(config, String.join("\n",
                "experiment: " + experiment,
                "seed: 11",
                "data: {dir: '" + TestEnvironment.mnistDir() + "', train_limit: 2000, test_limit: 200}",
                "model: {hidden: 48}",
                "prune: {method: random, sparsity: 0.3}",
                "train: {epochs: 6, batch_size: 20, k: 3, learning_rate: 0.05, monitor_samples: 100}",
                "reprune: {method: magnitude, sparsity: 0.6}",
                "retrain: {epochs: 1, batch_size: 20, monitor_samples: 100}",
                "evaluate: {samples: 10, gibbs_sweeps: 20, pll_samples: 100}",
                "runtime: {checkpoint_every_updates: 25}",
                ""));
        return config;
    }

    private static List<String> command(Path config, Path runs, String trackingUri) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", config.toString(),
                "--runs-dir", runs.toString()));
        if (trackingUri == null) {
            cmd.add("--no-tracking");
        } else {
            cmd.addAll(List.of("--tracking-uri", trackingUri));
        }
        return cmd;
    }

    private static int runInProcess(Path config, Path runs, String trackingUri) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> args = command(config, runs, trackingUri);
        int code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8)).execute(
                        args.subList(4, args.size()).toArray(String[]::new));
        assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
        return code;
    }

    @Test
    void sigkillMidTrainingThenResumeEndsBitIdenticalWithoutDuplicateTracking() throws Exception {
        String uri = TestEnvironment.trackingUri();
        String experiment = "it-resume-" + UUID.randomUUID().toString().substring(0, 8);
        Path config = writeConfig(experiment);

        Path reference = work.resolve("reference");
        runInProcess(config, reference, null);

        Path runs = work.resolve("killed");
        Path log = work.resolve("killed.log");
        Process process = new ProcessBuilder(command(config, runs, uri)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            // Wait for a mid-epoch checkpoint of the train step, then kill without warning.
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50)).until(() -> {
                assertTrue(process.isAlive(), "process ended before it could be killed:\n" + Files.readString(log));
                return LiveCheckpoints.count(runs) >= 2;
            });
        } finally {
            process.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flushing
            process.waitFor();
        }
        assertEquals(137, process.exitValue(), "expected death by SIGKILL");
        assertTrue(Files.readString(log).contains("running"), Files.readString(log));

        runInProcess(config, runs, uri);

        for (String kind : List.of("rbm.train")) {
            for (String file : List.of("weights.npy", "visible_bias.npy", "hidden_bias.npy", "chains.npy")) {
                byte[] expected = Files.readAllBytes(only(reference.resolve("steps").resolve(kind), "train").resolve(file));
                byte[] actual = Files.readAllBytes(only(runs.resolve("steps").resolve(kind), "train").resolve(file));
                assertArrayEquals(expected, actual, kind + "/" + file + " differs after kill and resume");
            }
        }
        double[] a = Npy.readDoubles(only(reference.resolve("steps/rbm.train"), "retrain").resolve("weights.npy"));
        double[] b = Npy.readDoubles(only(runs.resolve("steps/rbm.train"), "retrain").resolve("weights.npy"));
        assertArrayEquals(a, b, 0.0);

        TrackingClient client = MlflowTracking.connect(uri);
        String experimentId = client.findExperiment(experiment).orElseThrow();
        List<RunInfo> trainRuns = client.searchRuns(List.of(experimentId), "tags.`pipeline.step` = 'train'");
        assertEquals(1, trainRuns.size(), "the resumed step must re-attach to its run: " + trainRuns);
        assertEquals(RunStatus.FINISHED, trainRuns.get(0).status());
        List<MetricPoint> pll = client.metricHistory(trainRuns.get(0).runId(), "pll");
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), pll.stream().map(MetricPoint::step).sorted().toList(),
                "each epoch's metric exactly once");
        assertEquals(8, client.searchRuns(List.of(experimentId), "").size(), "one parent and seven step runs");
    }

    /** The committed directory of the given step under a kind directory. */
    private static Path only(Path kindDir, String step) throws Exception {
        try (var dirs = Files.list(kindDir)) {
            for (Path d : dirs.toList()) {
                if (Files.readString(d.resolve("manifest.json")).contains("\"step\" : \"" + step + "\"")) {
                    return d;
                }
            }
        }
        throw new AssertionError("no step " + step + " in " + kindDir);
    }
}
