package org.prunelab.pipeline.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.TestEnvironment;
import org.prunelab.pipeline.TinyConfigs;
import org.prunelab.pipeline.version.BuildInfo;
import org.prunelab.tracking.RunInfo;
import org.prunelab.tracking.TrackingClient;
import org.prunelab.tracking.mlflow.MlflowTracking;

/**
 * A two-point sweep tracked in the real MLflow server, read back over the API: what a researcher
 * needs to compare runs in the UI without joins is there (the view tag, readable names, params and
 * headline metrics on pipeline runs, summary metrics on the sweep run, dataset inputs, the standard
 * source fields), manifests hold the real run ids, and the uploaded resolved config re-plans the
 * same pipeline.
 */
class ComparableRunsTest {
    @TempDir
    static Path work;
    static String experiment;
    static TrackingClient client;
    static List<RunInfo> runs;
    static RunInfo sweep;
    static List<RunInfo> pipelines;
    static String output;

    @BeforeAll
    static void runSweep() throws Exception {
        experiment = "it-compare-" + UUID.randomUUID().toString().substring(0, 8);
        Path config = TinyConfigs.write(work, "compare.yaml", experiment,
                "seed: [1, 2]",
                "model: {hidden: 4}",
                "prune: {method: random, sparsity: 0.5}",
                "train: {epochs: 1, batch_size: 50, monitor_samples: 20}",
                "reprune: {method: magnitude, sparsity: 0.8}",
                "retrain: {epochs: 1, batch_size: 50, monitor_samples: 20}");
        var result = TinyConfigs.cli("sweep", config.toString(), "--runs-dir", work.resolve("runs").toString(),
                "--tracking-uri", TestEnvironment.trackingUri());
        output = result.output();
        assertEquals(0, result.code(), output);
        client = MlflowTracking.connect(TestEnvironment.trackingUri());
        String id = client.findExperiment(experiment).orElseThrow();
        runs = client.searchRuns(List.of(id), "");
        sweep = runs.stream().filter(r -> r.tags().containsKey("pipeline.sweep_id")).findFirst().orElseThrow();
        pipelines = runs.stream().filter(r -> sweep.runId().equals(r.tags().get("mlflow.parentRunId"))).toList();
        assertEquals(2, pipelines.size(), runs.toString());
    }

    @Test
    void experimentOpensOnTheModelTrainingView() {
        String id = client.findExperiment(experiment).orElseThrow();
        assertEquals("custom_model_development", client.experimentTags(id).get("mlflow.experimentKind"));
    }

    @Test
    void pipelineRunsCarryTheirPointsParamsAndHeadlineMetricsUnderReadableNames() {
        for (RunInfo p : pipelines) {
            String seed = p.params().get("seed");
            assertNotNull(seed, p.params().toString());
            assertEquals("magnitude s=0.50 s1=0.80 seed=" + seed, p.runName());
            assertEquals("0.8", p.params().get("reprune.sparsity"));
            assertEquals("4", p.params().get("model.hidden"));
            Double pll = p.latestMetrics().get("evaluate.test_pll");
            assertNotNull(pll, p.latestMetrics().toString());
            assertTrue(pll < 0 && Double.isFinite(pll), "a log-likelihood: " + pll);
            assertTrue(p.latestMetrics().keySet().stream().anyMatch(k -> k.startsWith("train.")), p.latestMetrics().toString());
            assertFalse(p.latestMetrics().keySet().stream().anyMatch(k -> k.startsWith("evaluate.mask.")),
                    "grouped metrics stay on the step runs: " + p.latestMetrics().keySet());
        }
        // The two seeds differ, so their headline metrics are two measurements, not one copied value.
        assertFalse(pipelines.get(0).latestMetrics().get("evaluate.test_pll")
                .equals(pipelines.get(1).latestMetrics().get("evaluate.test_pll")));
        Set<String> stepNames = runs.stream().filter(r -> r.tags().containsKey("pipeline.step"))
                .map(RunInfo::runName).collect(Collectors.toSet());
        assertTrue(stepNames.contains("train · rbm") && stepNames.contains("load-data · rbm"), stepNames.toString());
    }

    /** Issue 14: start and end are when the work started and finished, so no duration is negative. */
    @Test
    void noFinishedRunHasANegativeDurationAndRealWorkTakesTime() {
        for (RunInfo r : runs) {
            assertEquals(org.prunelab.tracking.RunStatus.FINISHED, r.status(), r.runName());
            assertTrue(r.endTime() >= r.startTime(), r.runName() + ": " + (r.endTime() - r.startTime()) + " ms");
            if (Set.of("train", "retrain", "evaluate").contains(r.tags().getOrDefault("pipeline.step", ""))
                    || r.tags().containsKey("pipeline.sweep_id")) {
                assertTrue(r.endTime() > r.startTime(), r.runName() + " did real work in 0 ms");
            }
        }
    }

    @Test
    void sweepRunCarriesTheStudysSummaryMetrics() {
        assertEquals(2.0, sweep.latestMetrics().get("points.done"), sweep.latestMetrics().toString());
        double mean = (pipelines.get(0).latestMetrics().get("evaluate.test_pll")
                + pipelines.get(1).latestMetrics().get("evaluate.test_pll")) / 2;
        assertEquals(mean, sweep.latestMetrics().get("all.evaluate.test_pll.mean"), 1e-9);
        assertTrue(sweep.runName().startsWith("sweep compare "), sweep.runName());
    }

    @Test
    void runsCarryTheStandardSourceFieldsAndTheDatasets() {
        BuildInfo build = BuildInfo.current();
        for (RunInfo r : runs) {
            assertEquals("prunelab", r.tags().get("mlflow.source.name"), r.runName());
            assertEquals("LOCAL", r.tags().get("mlflow.source.type"), r.runName());
            assertEquals(System.getProperty("user.name"), r.tags().get("mlflow.user"), r.runName());
            assertEquals(build.knowsCommit() ? build.gitCommit() : null, r.tags().get("mlflow.source.git.commit"),
                    r.runName());
        }
        List<String> digests = null;
        for (RunInfo p : pipelines) {
            List<TrackingClient.DatasetInput> inputs = client.datasetInputs(p.runId());
            assertEquals(List.of("mnist-test", "mnist-train"), inputs.stream().map(TrackingClient.DatasetInput::name)
                    .sorted().toList(), inputs.toString());
            assertTrue(inputs.stream().anyMatch(i -> "train".equals(i.context()) && i.profile().contains("\"num_rows\":300")),
                    inputs.toString());
            List<String> d = inputs.stream().map(TrackingClient.DatasetInput::digest).sorted().toList();
            if (digests != null) {
                assertEquals(digests, d, "both seeds read the same images");
            }
            digests = d;
        }
    }

    @Test
    void manifestsHoldTheRealRunIdsAndSharedStepsAreLinked() throws Exception {
        Set<String> runIds = runs.stream().map(RunInfo::runId).collect(Collectors.toSet());
        List<Path> manifests;
        try (var walk = Files.walk(work.resolve("runs").resolve("steps"))) {
            manifests = walk.filter(p -> p.getFileName().toString().equals("manifest.json")).toList();
        }
        assertEquals(1 + 2 * 6, manifests.size(), "load-data shared, six steps per seed");
        ObjectMapper json = new ObjectMapper();
        for (Path m : manifests) {
            String id = json.readTree(m.toFile()).path("trackingRunId").asText();
            assertTrue(runIds.contains(id), m + " holds '" + id + "', not a run of the experiment");
        }
        for (RunInfo p : pipelines) {
            assertTrue(runIds.contains(p.tags().get("pipeline.step_run.load-data")),
                    "every pipeline links the shared load-data run: " + p.tags());
        }
    }

    @Test
    void uploadedResolvedConfigPlansTheSamePipeline() throws Exception {
        RunInfo p = pipelines.get(0);
        Path resolved = work.resolve("resolved.yaml");
        Files.write(resolved, client.downloadArtifact(p.runId(), "config/resolved.yaml"));
        var explain = TinyConfigs.cli("explain", resolved.toString(), "--runs-dir", work.resolve("runs").toString());
        assertEquals(0, explain.code(), explain.output());
        assertTrue(explain.output().contains("pipeline " + p.tags().get("pipeline.pipeline_id")), explain.output());
        assertFalse(explain.output().contains(" run "), "every step is reused: " + explain.output());
        JsonNode tensors = json(client.listArtifacts(runs.stream().filter(r -> "retrain".equals(r.tags().get("pipeline.step")))
                .findFirst().orElseThrow().runId(), "tensors"));
        assertTrue(tensors.toString().contains("hidden_bias.npy") && tensors.toString().contains("visible_bias.npy"),
                tensors.toString());
        assertTrue(output.contains("MLflow run: " + TestEnvironment.trackingUri() + "/#/experiments/"), output);
    }

    private static JsonNode json(Object value) {
        return new ObjectMapper().valueToTree(value);
    }
}
