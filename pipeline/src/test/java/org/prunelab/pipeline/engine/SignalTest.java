package org.prunelab.pipeline.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.TestEnvironment;
import org.prunelab.pipeline.TinyConfigs;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.pipeline.plan.Plan;
import org.prunelab.pipeline.plan.Planner;
import org.prunelab.pipeline.store.StepStore;
import org.prunelab.tracking.RunInfo;
import org.prunelab.tracking.RunStatus;
import org.prunelab.tracking.TrackingClient;
import org.prunelab.tracking.mlflow.MlflowTracking;

/** SIGTERM marks the running step KILLED after flushing; the next run re-opens the same run. */
class SignalTest {
    @TempDir
    Path work;

    @Test
    void sigtermMarksTheStepKilledAndARerunFinishesTheSameRun() throws Exception {
        String uri = TestEnvironment.trackingUri();
        String experiment = "it-signal-" + UUID.randomUUID().toString().substring(0, 8);
        Path config = TinyConfigs.write(work, "signal.yaml", experiment,
                "data: {dir: '" + TestEnvironment.mnistDir() + "', train_limit: 2000, test_limit: 100}",
                "model: {hidden: 48}",
                "train: {epochs: 12, batch_size: 20, k: 3, monitor_samples: 20}",
                "retrain: {epochs: 1, batch_size: 50, monitor_samples: 20}",
                "runtime: {checkpoint_every_updates: 50}");
        Path runs = work.resolve("runs");
        Path log = work.resolve("run.log");
        TrackingClient client = MlflowTracking.connect(uri);
        Process process = new ProcessBuilder(TinyConfigs.javaCommand("run", config.toString(), "--runs-dir",
                runs.toString(), "--tracking-uri", uri)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            // Stop it mid-training, known from state rather than the console and a sleep: the train
            // step's first checkpoint is on disk (it has work to resume) and its run is on the server.
            Path trainCheckpoints = new StepStore(runs).checkpointDir(trainShortId(config, runs));
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> hasCheckpoint(trainCheckpoints));
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> trainRuns(client, experiment) == 1);
            process.destroy(); // SIGTERM: shutdown hooks run
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "process ignored SIGTERM");
        } finally {
            process.destroyForcibly();
        }
        assertNotEquals(0, process.exitValue(), Files.readString(log));

        String id = client.findExperiment(experiment).orElseThrow();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<RunInfo> train = client.searchRuns(List.of(id), "tags.`pipeline.step` = 'train'");
            assertEquals(1, train.size());
            assertEquals(RunStatus.KILLED, train.get(0).status(), "the stopped step's run");
        });
        String trainRun = client.searchRuns(List.of(id), "tags.`pipeline.step` = 'train'").get(0).runId();

        var rerun = TinyConfigs.cli("run", config.toString(), "--runs-dir", runs.toString(), "--tracking-uri", uri);
        assertEquals(0, rerun.code(), rerun.output());
        assertTrue(rerun.output().contains("resuming"), rerun.output());
        List<RunInfo> train = client.searchRuns(List.of(id), "tags.`pipeline.step` = 'train'");
        assertEquals(1, train.size(), "re-attached, not duplicated");
        assertEquals(trainRun, train.get(0).runId());
        assertEquals(RunStatus.FINISHED, train.get(0).status());
    }

    /** The train step's short identity, planned here exactly as the child process plans it (planning only reads). */
    private static String trainShortId(Path config, Path runs) {
        Plan plan = new Planner(new StepStore(runs)).plan(ExperimentConfig.load(config, List.of()));
        return plan.steps().stream().filter(s -> s.name().equals("train")).findFirst().orElseThrow().identity().shortHash();
    }

    private static int trainRuns(TrackingClient client, String experiment) {
        return client.findExperiment(experiment)
                .map(id -> client.searchRuns(List.of(id), "tags.`pipeline.step` = 'train'").size()).orElse(0);
    }

    private static boolean hasCheckpoint(Path checkpoints) throws java.io.IOException {
        if (!Files.isDirectory(checkpoints)) {
            return false;
        }
        try (var entries = Files.list(checkpoints)) {
            return entries.anyMatch(p -> p.getFileName().toString().startsWith("ckpt-"));
        }
    }
}
