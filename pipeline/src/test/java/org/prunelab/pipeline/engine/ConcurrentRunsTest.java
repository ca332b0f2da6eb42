package org.prunelab.pipeline.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.TinyConfigs;

/** Two processes pointed at the same runs directory never run the same step at once. */
class ConcurrentRunsTest {
    @TempDir
    Path work;

    @Test
    void secondProcessIsRefusedWithTheHoldersPidAndTheFirstFinishesIntact() throws Exception {
        Path config = TinyConfigs.write(work, "busy.yaml", "busy",
                "data: {dir: '" + org.prunelab.pipeline.TestEnvironment.mnistDir() + "', train_limit: 2000, test_limit: 100}",
                "model: {hidden: 48}",
                "train: {epochs: 8, batch_size: 20, k: 3, monitor_samples: 20}",
                "retrain: {epochs: 1, batch_size: 50, monitor_samples: 20}",
                "runtime: {checkpoint_every_updates: 20}");
        Path runs = work.resolve("runs");
        Path log = work.resolve("first.log");
        Process first = new ProcessBuilder(TinyConfigs.javaCommand("run", config.toString(), "--runs-dir",
                runs.toString(), "--no-tracking")).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> {
                assertTrue(first.isAlive(), Files.readString(log));
                return Files.readString(log).contains("train      running");
            });
            var second = TinyConfigs.cli("run", config.toString(), "--runs-dir", runs.toString(), "--no-tracking");
            assertEquals(1, second.code(), second.output());
            assertTrue(second.output().contains("being run by another prunelab process (pid " + first.pid()),
                    second.output());
            assertTrue(first.waitFor(3, TimeUnit.MINUTES), "first process did not finish");
            assertEquals(0, first.exitValue(), Files.readString(log));
        } finally {
            first.destroyForcibly();
        }
        var third = TinyConfigs.cli("run", config.toString(), "--runs-dir", runs.toString(), "--no-tracking");
        assertEquals(0, third.code(), third.output());
        assertTrue(third.output().contains("nothing to do"), third.output());
    }
}
