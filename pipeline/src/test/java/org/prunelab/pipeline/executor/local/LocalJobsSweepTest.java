package org.prunelab.pipeline.executor.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.TestEnvironment;
import org.prunelab.pipeline.TinyConfigs;
import org.prunelab.pipeline.cli.Main;
import org.prunelab.pipeline.engine.SweepLedger;
import org.prunelab.pipeline.store.Json;
import org.prunelab.tracking.RunInfo;
import org.prunelab.tracking.RunStatus;
import org.prunelab.tracking.TrackingClient;
import org.prunelab.tracking.mlflow.MlflowTracking;

/**
 * {@code sweep --jobs N}: real worker JVMs computing a sweep's step graph side by side, against a
 * real runs directory (and, in one test, the real MLflow server).
 */
class LocalJobsSweepTest {
    @TempDir
    Path work;

    /** The toy family: 2 seeds x 2 learning rates; data and init are shared by the points of a seed. */
    private Path toySweep(String experiment) throws Exception {
        Path config = work.resolve(experiment + ".yaml");
        Files.writeString(config, String.join("\n",
                "experiment: " + experiment,
                "pipeline: linreg",
                "seed: [1, 2]",
                "linreg: {samples: 240, features: 8, epochs: 6, batch_size: 20, learning_rate: [0.05, 0.02]}",
                // the same thread count as the sequential reference, so the two must agree bit for bit
                "runtime: {threads: 1}",
                ""));
        return config;
    }

    @Test
    void workersComputeEveryStepOnceReportUnderOneSweepRunAndAgreeBitForBitWithTheSequentialSweep()
            throws Exception {
        String uri = TestEnvironment.trackingUri();
        String experiment = "it-pool-" + UUID.randomUUID().toString().substring(0, 8);
        Path config = toySweep(experiment);
        Path pooled = work.resolve("pooled");
        var result = TinyConfigs.cli("sweep", config.toString(), "--jobs", "2", "--runs-dir", pooled.toString(),
                "--tracking-uri", uri);
        assertEquals(0, result.code(), result.output());
        String out = result.output();
        assertTrue(out.contains("unfinished steps in") && out.contains("on 2 worker processes"), out);
        assertTrue(out.contains("[w1]") && out.contains("[w2]"), "both workers ran chains:\n" + out);
        assertTrue(out.contains("4 points: 4 computed now, 0 reused entirely, 0 failed"), out);
        // The walk after the pool says once per point that its steps are committed, not once per step.
        assertFalse(java.util.regex.Pattern.compile("(?m)^  \\S+\\s+reused ").matcher(out).find(), out);
        assertEquals(4, out.split("steps committed \\(the workers above computed what was missing\\)", -1).length - 1,
                out);
        assertEquals(4, TinyConfigs.committedSteps(pooled, "linreg.train", "train"));

        // MLflow: the workers adopt the sweep run and make one run per step identity, whichever worker ran it.
        var sync = TinyConfigs.cli("sync", "--runs-dir", pooled.toString(), "--tracking-uri", uri);
        assertEquals(0, sync.code(), sync.output());
        assertFalse(out.contains("refused") || sync.output().contains("refused"), out);
        TrackingClient client = MlflowTracking.connect(uri);
        List<RunInfo> all = client.searchRuns(List.of(client.findExperiment(experiment).orElseThrow()), "");
        List<RunInfo> sweeps = all.stream().filter(r -> r.tags().containsKey("pipeline.sweep_id")).toList();
        assertEquals(1, sweeps.size(), "one sweep run: " + all);
        RunInfo sweep = sweeps.get(0);
        assertEquals(RunStatus.FINISHED, sweep.status());
        List<RunInfo> pipelines = all.stream()
                .filter(r -> sweep.runId().equals(r.tags().get("mlflow.parentRunId"))).toList();
        assertEquals(4, pipelines.size(), "one pipeline run per point: " + all);
        assertTrue(pipelines.stream().allMatch(r -> r.status() == RunStatus.FINISHED), pipelines.toString());
        Set<String> pipelineIds = pipelines.stream().map(RunInfo::runId).collect(Collectors.toSet());
        List<RunInfo> steps = all.stream().filter(r -> pipelineIds.contains(r.tags().get("mlflow.parentRunId")))
                .toList();
        assertEquals(stepCount(pooled), steps.size(), "one run per committed step: " + all);
        assertTrue(steps.stream().allMatch(r -> r.status() == RunStatus.FINISHED), steps.toString());
        assertEquals(1 + 4 + steps.size(), all.size());

        Path sequential = work.resolve("sequential");
        var reference = TinyConfigs.cli("sweep", config.toString(), "--runs-dir", sequential.toString(), "--no-tracking");
        assertEquals(0, reference.code(), reference.output());
        assertEquals(outputs(sequential), outputs(pooled), "every step's output digests");

        var again = TinyConfigs.cli("sweep", config.toString(), "--jobs", "2", "--runs-dir", pooled.toString(),
                "--no-tracking");
        assertEquals(0, again.code(), again.output());
        assertFalse(again.output().contains("local pool"), "nothing to compute, no worker started:\n" + again.output());
        assertTrue(again.output().contains("4 points: 0 computed now, 4 reused entirely"), again.output());
    }

    @Test
    void aStepThatFailsInAWorkerFailsItsPointsOnlyAndTheSweepExitsNonZero() throws Exception {
        Path config = toySweep("pool-failure");
        Path runs = work.resolve("runs");
        // The hook is a system property of the sweep's JVM: its workers must inherit it to fail.
        Path log = work.resolve("sweep.log");
        Process sweep = pooledSweepInItsOwnJvm("-Dprunelab.test.linreg.fail_seed=2", config, runs, log);
        assertTrue(sweep.waitFor(3, TimeUnit.MINUTES), "sweep did not finish");
        String out = Files.readString(log);
        assertEquals(1, sweep.exitValue(), out);
        assertTrue(out.contains("simulated failure of the training with seed 2"), out);
        assertTrue(out.contains("4 points: 2 computed now, 0 reused entirely, 2 failed"), out);
        assertEquals(2, TinyConfigs.committedSteps(runs, "linreg.train", "train"), "seed 1's two trainings");
        assertEquals(2, TinyConfigs.committedSteps(runs, "linreg.evaluate", "evaluate"),
                "no evaluation of a failed training");
        // Failed in the ledger with the worker's message; the walk did not run them a second time.
        try (var files = Files.list(runs.resolve("sweeps"))) {
            SweepLedger ledger = Json.read(files.toList().get(0), SweepLedger.class);
            for (SweepLedger.Entry entry : ledger.points()) {
                boolean seed2 = ((Number) entry.axes().get("seed")).intValue() == 2;
                assertEquals(seed2 ? SweepLedger.State.FAILED : SweepLedger.State.DONE, entry.state(), entry.toString());
                if (seed2) {
                    assertTrue(entry.error().contains("simulated failure of the training with seed 2"), entry.error());
                }
            }
        }
        assertEquals(4, out.split("train      running", -1).length - 1,
                "four trainings started in the workers (two failing at once), none in the walk:\n" + out);
    }

    @Test
    void aWorkerKilledMidStepFailsOnlyItsChainAndTheNextRunFinishesTheSweep() throws Exception {
        Path config = toySweep("pool-kill");
        Path runs = work.resolve("runs");
        // Slow updates (the hook changes no number) so that a training is running when a worker is killed.
        Path log = work.resolve("sweep.log");
        Process sweep = pooledSweepInItsOwnJvm("-Dprunelab.test.linreg.update_sleep_ms=40", config, runs, log);
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(2))
                    .pollInterval(java.time.Duration.ofMillis(50))
                    .until(() -> Files.readString(log).contains("train      running"));
            ProcessHandle worker = sweep.toHandle().children().findFirst().orElseThrow();
            assertTrue(worker.destroyForcibly(), "SIGKILL to worker " + worker.pid());
            assertTrue(sweep.waitFor(3, TimeUnit.MINUTES), "sweep did not finish");
        } finally {
            sweep.destroyForcibly();
        }
        String out = Files.readString(log);
        assertEquals(1, sweep.exitValue(), out);
        assertTrue(out.contains("exited with code 137 while running chain"), out);
        assertTrue(out.matches("(?s).*4 points: [123] computed now, 0 reused entirely, [123] failed.*"), out);

        var again = TinyConfigs.cli("sweep", config.toString(), "--jobs", "2", "--runs-dir", runs.toString(),
                "--no-tracking");
        assertEquals(0, again.code(), again.output());
        assertEquals(4, TinyConfigs.committedSteps(runs, "linreg.evaluate", "evaluate"));
        assertEquals(4, TinyConfigs.committedSteps(runs, "linreg.train", "train"), "each training committed once");
    }

    @Test
    void badJobCountsAreRefusedBeforeAnythingRuns() throws Exception {
        Path config = toySweep("pool-usage");
        Path runs = work.resolve("runs");
        for (String bad : List.of("0", "-1", "two", "257")) {
            var result = TinyConfigs.cli("sweep", config.toString(), "--jobs", bad, "--runs-dir", runs.toString(),
                    "--no-tracking");
            assertEquals(2, result.code(), result.output());
            assertTrue(result.output().contains("--jobs must be a whole number from 1 to 256 (worker processes), got '"
                    + bad + "'"), result.output());
        }
        var slurm = TinyConfigs.cli("sweep", config.toString(), "--jobs", "2", "--executor", "slurm", "--runs-dir",
                runs.toString(), "--no-tracking");
        assertEquals(2, slurm.code(), slurm.output());
        assertTrue(slurm.output().contains("--max-parallel"), slurm.output());
        assertFalse(Files.exists(runs.resolve("steps")), "nothing was computed");
    }

    /** {@code sweep --jobs 2} in a JVM of its own with {@code jvmOption}, which its workers inherit. */
    private static Process pooledSweepInItsOwnJvm(String jvmOption, Path config, Path runs, Path log) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), jvmOption,
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "sweep", config.toString(),
                "--jobs", "2", "--runs-dir", runs.toString(), "--no-tracking");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static int stepCount(Path runs) throws Exception {
        return outputs(runs).size();
    }

    /** Step identity hash -> its outputs' digests, from every committed manifest. */
    private static Map<String, Object> outputs(Path runs) throws Exception {
        Map<String, Object> byStep = new TreeMap<>();
        try (var kinds = Files.list(runs.resolve("steps"))) {
            for (Path kind : kinds.toList()) {
                try (var steps = Files.list(kind)) {
                    for (Path step : steps.toList()) {
                        Map<?, ?> manifest = Json.read(step.resolve("manifest.json"), Map.class);
                        byStep.put(kind.getFileName() + "/" + step.getFileName(), manifest.get("outputs"));
                    }
                }
            }
        }
        return byStep;
    }
}
