package org.prunelab.pipeline.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.TestEnvironment;
import org.prunelab.pipeline.TinyConfigs;
import org.prunelab.pipeline.store.Json;
import org.prunelab.tracking.RunInfo;
import org.prunelab.tracking.RunStatus;
import org.prunelab.tracking.TrackingClient;
import org.prunelab.tracking.mlflow.MlflowTracking;

class SweepTest {
    @TempDir
    Path work;

    /** 10 sparsities x 2 methods x 3 seeds: the dense training depends only on the seed. */
    @Test
    void denseTrainingRunsOncePerSeedAcrossSixtyPoints() throws Exception {
        Path config = TinyConfigs.write(work, "grid.yaml", "grid",
                "seed: [1, 2, 3]",
                "model: {hidden: 4}",
                "prune: {method: none}",
                "train: {epochs: 1, batch_size: 50, monitor_samples: 20}",
                "reprune: {method: [magnitude, random], sparsity: [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]}",
                "retrain: {epochs: 1, batch_size: 50, monitor_samples: 20}",
                "evaluate: {samples: 2, gibbs_sweeps: 2, pll_samples: 20, exact_max_units: 0}");
        Path runs = work.resolve("runs");
        var first = TinyConfigs.cli("sweep", config.toString(), "--runs-dir", runs.toString(), "--no-tracking");
        assertEquals(0, first.code(), first.output());
        assertEquals(3, TinyConfigs.committedSteps(runs, "rbm.train", "train"), "one dense training per seed");
        assertEquals(60, TinyConfigs.committedSteps(runs, "rbm.train", "retrain"));
        assertEquals(1, TinyConfigs.committedSteps(runs, "data.load", "load-data"));
        assertEquals(Collections.nCopies(60, SweepLedger.State.DONE), states(runs), "the ledger: every point done");
        Map<Path, String> manifests = committedManifests(runs);

        long t0 = System.nanoTime();
        var again = TinyConfigs.cli("sweep", config.toString(), "--runs-dir", runs.toString(), "--no-tracking");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, again.code(), again.output());
        assertEquals(manifests, committedManifests(runs), "nothing computed again: the same steps, manifests untouched");
        assertEquals(Collections.nCopies(60, SweepLedger.State.DONE), states(runs));
        System.out.printf("re-deciding a finished 60-point sweep took %.2f s%n", seconds);

        var status = TinyConfigs.cli("status", config.toString(), "--runs-dir", runs.toString());
        assertEquals(0, status.code(), status.output());
        assertTrue(status.output().contains("done 60, running 0, failed 0, pending 0"), status.output());
    }

    @Test
    void failedPointIsRecordedTheSweepGoesOnAndARerunContinuesWithTheSameNumbering() throws Exception {
        // reprune.sparsity 0.2 is below prune.sparsity 0.3: that point fails, the others must not.
        Path config = TinyConfigs.write(work, "partial.yaml", "partial",
                "model: {hidden: 4}",
                "prune: {method: random, sparsity: 0.3}",
                "train: {epochs: 1, batch_size: 50, monitor_samples: 20}",
                "reprune: {method: magnitude, sparsity: [0.5, 0.2, 0.6]}",
                "retrain: {epochs: 1, batch_size: 50, monitor_samples: 20}");
        Path runs = work.resolve("runs");
        var first = TinyConfigs.cli("sweep", config.toString(), "--runs-dir", runs.toString(), "--no-tracking");
        assertEquals(1, first.code(), "a failed point makes the sweep exit non-zero:\n" + first.output());
        assertEquals(List.of(SweepLedger.State.DONE, SweepLedger.State.FAILED, SweepLedger.State.DONE), states(runs));
        assertEquals(2, TinyConfigs.committedSteps(runs, "rbm.evaluate", "evaluate"), "the other points finished");
        Map<Path, String> manifests = committedManifests(runs);

        var status = TinyConfigs.cli("status", config.toString(), "--runs-dir", runs.toString());
        assertTrue(status.output().contains("done 2, running 0, failed 1, pending 0"), status.output());

        var again = TinyConfigs.cli("sweep", config.toString(), "--runs-dir", runs.toString(), "--no-tracking");
        assertEquals(1, again.code(), again.output());
        assertEquals(manifests, committedManifests(runs), "the finished points were reused, not computed again");
        SweepLedger ledger = ledger(runs);
        assertEquals(List.of(0, 1, 2), ledger.points().stream().map(SweepLedger.Entry::index).toList());
        assertEquals(SweepLedger.State.FAILED, ledger.entry(1).state());
        assertTrue(ledger.entry(1).error().contains("below the model's current sparsity"), ledger.entry(1).error());
        assertEquals(0.2, ((Number) ledger.entry(1).axes().get("reprune.sparsity")).doubleValue());
    }

    @Test
    void sweepRunNestsPipelineRunsWhichNestStageRunsInMlflow() throws Exception {
        String uri = TestEnvironment.trackingUri();
        String experiment = "it-sweep-" + UUID.randomUUID().toString().substring(0, 8);
        Path config = TinyConfigs.write(work, "nested.yaml", experiment,
                "seed: [1, 2]",
                "model: {hidden: 4}",
                "train: {epochs: 1, batch_size: 50, monitor_samples: 20}",
                "reprune: {method: magnitude, sparsity: [0.5, 0.7]}",
                "retrain: {epochs: 1, batch_size: 50, monitor_samples: 20}");
        var result = TinyConfigs.cli("sweep", config.toString(), "--runs-dir", work.resolve("runs").toString(),
                "--tracking-uri", uri);
        assertEquals(0, result.code(), result.output());
        // What the sweep could not deliver within its close limit (a loaded machine) stays in the
        // outbox; `sync` delivers it, so the checks below see the server's final state, not a race.
        var sync = TinyConfigs.cli("sync", "--runs-dir", work.resolve("runs").toString(), "--tracking-uri", uri);
        assertEquals(0, sync.code(), sync.output());
        TrackingClient client = MlflowTracking.connect(uri);
        String id = client.findExperiment(experiment).orElseThrow();
        List<RunInfo> runs = client.searchRuns(List.of(id), "");
        List<RunInfo> sweeps = runs.stream().filter(r -> r.tags().containsKey("pipeline.sweep_id")).toList();
        assertEquals(1, sweeps.size(), runs.toString());
        RunInfo sweep = sweeps.get(0);
        assertEquals(RunStatus.FINISHED, sweep.status());
        List<RunInfo> pipelines = runs.stream()
                .filter(r -> sweep.runId().equals(r.tags().get("mlflow.parentRunId"))).toList();
        assertEquals(4, pipelines.size(), "one pipeline run per point");
        Set<String> pipelineIds = pipelines.stream().map(RunInfo::runId).collect(Collectors.toSet());
        long stageRuns = runs.stream().filter(r -> pipelineIds.contains(r.tags().get("mlflow.parentRunId"))).count();
        // 4 points share load-data (1), init/prune-1/train (one per seed: 2 each), prune-2/retrain/evaluate (4 each)
        assertEquals(1 + 2 * 3 + 4 * 3, stageRuns, "one run per step identity, never one per point");
        assertEquals(1 + 4 + 19, runs.size());

        // A re-run with other report settings is the same sweep (report.* is not part of its identity):
        // the changed setting must reach the sweep run, not be refused as a changed MLflow param.
        var again = TinyConfigs.cli("sweep", config.toString(), "--runs-dir", work.resolve("runs").toString(),
                "--tracking-uri", uri, "--set", "report.group=seed");
        assertEquals(0, again.code(), again.output());
        var syncAgain = TinyConfigs.cli("sync", "--runs-dir", work.resolve("runs").toString(), "--tracking-uri", uri);
        assertEquals(0, syncAgain.code(), syncAgain.output());
        assertFalse(again.output().contains("refused") || syncAgain.output().contains("refused"), again.output());
        RunInfo rerun = client.getRun(sweep.runId());
        assertEquals("seed", rerun.tags().get("report.group"), rerun.tags().toString());
        assertFalse(rerun.params().containsKey("report.group"), "report settings are tags, not params");
    }

    /** The one sweep ledger in the runs directory: the durable record of every point's state. */
    private static SweepLedger ledger(Path runs) throws Exception {
        try (var files = Files.list(runs.resolve("sweeps"))) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all.toString());
            return Json.read(all.get(0), SweepLedger.class);
        }
    }

    private static List<SweepLedger.State> states(Path runs) throws Exception {
        return ledger(runs).points().stream().map(SweepLedger.Entry::state).toList();
    }

    /** Every committed step's manifest (path to content): unchanged means nothing was recomputed. */
    private static Map<Path, String> committedManifests(Path runs) throws Exception {
        Map<Path, String> out = new TreeMap<>();
        try (var files = Files.walk(runs.resolve("steps"))) {
            for (Path m : files.filter(p -> p.getFileName().toString().equals("manifest.json")).toList()) {
                out.put(m, Files.readString(m));
            }
        }
        return out;
    }
}
