package org.prunelab.pipeline.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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
 * A tiny RBM pipeline on real MNIST, tracked in the real MLflow server, read back over the API;
 * then the same command again, which must compute nothing and create no run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndTest {
    static final List<String> STEPS = List.of("load-data", "init", "prune-1", "train", "prune-2", "retrain",
            "evaluate");

    @TempDir
    static Path work;
    static String experiment;
    static Path config;
    static TrackingClient client;

    @BeforeAll
    static void writeConfig() throws Exception {
        experiment = "it-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        config = work.resolve("tiny.yaml");
        Files.writeString(config, String.join("\n",
                "experiment: " + experiment,
                "pipeline: rbm",
                "seed: 7",
                "data: {dir: '" + TestEnvironment.mnistDir() + "', train_limit: 600, test_limit: 200}",
                "model: {hidden: 8}",
                "prune: {method: random, sparsity: 0.5}",
                "train: {epochs: 3, batch_size: 50, learning_rate: 0.05, monitor_samples: 100}",
                "reprune: {method: magnitude, sparsity: 0.8}",
                "retrain: {epochs: 2, batch_size: 50, chain_init: keep, monitor_samples: 100}",
                "evaluate: {samples: 20, gibbs_sweeps: 50, pll_samples: 100}",
                ""));
        client = MlflowTracking.connect(TestEnvironment.trackingUri());
    }

    static String run() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(new String[] {
                        "run", config.toString(), "--runs-dir", work.resolve("runs").toString(),
                        "--tracking-uri", TestEnvironment.trackingUri()});
        String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        return text;
    }

    static List<RunInfo> runs() {
        String id = client.findExperiment(experiment).orElseThrow();
        return client.searchRuns(List.of(id), "");
    }

    static RunInfo child(List<RunInfo> runs, String step) {
        return runs.stream().filter(r -> step.equals(r.tags().get("pipeline.step"))).findFirst().orElseThrow();
    }

    @Test
    @Order(1)
    void firstRunLogsParentAndSevenStepRunsWithParamsMetricsAndArtifacts() throws Exception {
        String output = run();
        assertTrue(output.contains("Final metrics"), output);
        List<RunInfo> runs = runs();
        assertEquals(8, runs.size(), "one parent and seven step runs: " + runs);
        List<RunInfo> parents = runs.stream().filter(r -> !r.tags().containsKey("mlflow.parentRunId")).toList();
        assertEquals(1, parents.size());
        RunInfo parent = parents.get(0);
        Set<String> children = runs.stream().filter(r -> parent.runId().equals(r.tags().get("mlflow.parentRunId")))
                .map(r -> r.tags().get("pipeline.step")).collect(Collectors.toSet());
        assertEquals(Set.copyOf(STEPS), children);
        runs.forEach(r -> assertEquals(RunStatus.FINISHED, r.status(), r.runName()));

        assertEquals("0.8", parent.params().get("reprune.sparsity"));
        assertEquals("8", parent.params().get("model.hidden"));
        assertEquals("pcd", parent.params().get("train.algorithm")); // a default, resolved and logged
        RunInfo train = child(runs, "train");
        assertEquals("3", train.params().get("train.epochs"));
        assertTrue(train.params().containsKey("linalg.backend") && train.params().containsKey("linalg.threads"),
                "numeric backend and thread count are step params: " + train.params());

        List<MetricPoint> pll = client.metricHistory(train.runId(), "pll");
        assertEquals(List.of(1L, 2L, 3L), pll.stream().map(MetricPoint::step).sorted().toList());
        assertTrue(pll.stream().allMatch(p -> Double.isFinite(p.value()) && p.value() < 0), pll.toString());

        RunInfo evaluate = child(runs, "evaluate");
        Set<String> artifacts = client.listArtifacts(evaluate.runId(), "").stream()
                .map(TrackingClient.ArtifactEntry::path).collect(Collectors.toSet());
        assertTrue(artifacts.containsAll(Set.of("evaluation.json", "samples.png", "manifest.json")), artifacts.toString());
        Path committed = committedDir("rbm.evaluate");
        assertArrayEquals(Files.readAllBytes(committed.resolve("evaluation.json")),
                client.downloadArtifact(evaluate.runId(), "evaluation.json"));
        assertTrue(evaluate.latestMetrics().containsKey("test_exact_ll"), evaluate.latestMetrics().toString());

        Set<String> masks = client.listArtifacts(child(runs, "prune-2").runId(), "").stream()
                .map(TrackingClient.ArtifactEntry::path).collect(Collectors.toSet());
        assertTrue(masks.contains("mask.npy"), masks.toString());
        Set<String> parentArtifacts = client.listArtifacts(parent.runId(), "config").stream()
                .map(TrackingClient.ArtifactEntry::path).collect(Collectors.toSet());
        assertTrue(parentArtifacts.stream().anyMatch(p -> p.endsWith("resolved.json")), parentArtifacts.toString());
    }

    @Test
    @Order(2)
    void prunedWeightsAreExactlyZeroAfterRetraining() throws Exception {
        Path retrain = committedDirOfStep("retrain");
        double[] w = Npy.readDoubles(retrain.resolve("weights.npy"));
        byte[] mask = Npy.readBytes(retrain.resolve("mask.npy"));
        int pruned = 0;
        for (int i = 0; i < w.length; i++) {
            if (mask[i] == 0) {
                pruned++;
                assertEquals(0L, Double.doubleToRawLongBits(w[i]), "weight " + i + " is pruned but not +0.0");
            }
        }
        assertEquals(Math.round(0.8 * w.length), pruned);
    }

    @Test
    @Order(2)
    void everyManifestRecordsItsEnvironmentAndTrainingItsBlasVersions() throws Exception {
        for (String step : STEPS) {
            var manifest = org.prunelab.pipeline.store.Json.MAPPER.readTree(committedDirOfStep(step).resolve("manifest.json").toFile());
            var env = manifest.path("environment");
            assertEquals(System.getProperty("java.runtime.version"), env.path("jvm.version").asText(), step);
            assertEquals(System.getProperty("os.arch"), env.path("os.arch").asText(), step);
            assertTrue(env.path("cpu.model").asText().length() > 0, step);
            assertEquals(org.ejml.EjmlVersion.VERSION, env.path("libraries").path("org.ejml:ejml").asText(), step);
        }
        var train = org.prunelab.pipeline.store.Json.MAPPER.readTree(committedDirOfStep("train").resolve("manifest.json").toFile());
        assertTrue(train.path("codeClasses").path("library dev.ludovic.netlib:blas").asText().matches("\\d+\\.\\d+.*"),
                "training computes through netlib/OpenBLAS GEMM, so their versions are part of its code: " + train.path("codeClasses"));
        assertTrue(train.path("codeClasses").path("library org.bytedeco:openblas").asText().startsWith("0.3"),
                train.path("codeClasses").toString());
        assertTrue(train.path("environment").path("linalg.backend").asText().length() > 0, "backend recorded");
        assertTrue(Integer.parseInt(train.path("environment").path("linalg.threads").asText()) >= 1, "threads recorded");
    }

    @Test
    @Order(3)
    void secondRunComputesNothingAndCreatesNoRun() throws Exception {
        Map<String, Long> before = runs().stream().collect(Collectors.toMap(RunInfo::runId, RunInfo::endTime));
        List<String> journalBefore = journalLines();
        String output = run();
        List<String> added = journalLines().subList(journalBefore.size(), journalLines().size());
        // Re-opening the pipeline run costs a few entries, not a few per step: the links to the reused
        // steps' runs travel together in one tags entry.
        assertEquals(1, added.stream().filter(l -> l.contains("\"op\":\"tags\"")).count(), String.join("\n", added));
        assertTrue(added.size() <= 6, added.size() + " entries for a run that computed nothing:\n" + String.join("\n", added));
        assertTrue(output.contains("nothing to do"), output);
        for (String step : STEPS) {
            assertTrue(output.contains(String.format("%-10s reused", step)), step + " not reused:\n" + output);
        }
        List<RunInfo> after = runs();
        assertEquals(before.keySet(), after.stream().map(RunInfo::runId).collect(Collectors.toSet()));
    }

    /** Every line of the tracking journal(s) under the runs directory, in order. */
    private static List<String> journalLines() throws Exception {
        List<String> lines = new java.util.ArrayList<>();
        try (var files = Files.walk(work.resolve("runs/outbox"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("journal.jsonl")).sorted().toList()) {
                lines.addAll(Files.readAllLines(f));
            }
        }
        return lines;
    }

    private static Path committedDir(String kind) throws Exception {
        try (var dirs = Files.list(work.resolve("runs/steps").resolve(kind))) {
            List<Path> all = dirs.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    private static Path committedDirOfStep(String step) throws Exception {
        try (var manifests = Files.walk(work.resolve("runs/steps"))) {
            for (Path m : manifests.filter(p -> p.getFileName().toString().equals("manifest.json")).toList()) {
                if (Files.readString(m).contains("\"step\" : \"" + step + "\"")) {
                    return m.getParent();
                }
            }
        }
        throw new AssertionError("no committed step " + step);
    }
}
