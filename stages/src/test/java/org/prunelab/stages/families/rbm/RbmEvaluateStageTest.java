package org.prunelab.stages.families.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.stages.TestStageContext;
import org.prunelab.stages.data.StageFixtures;
import org.prunelab.stages.eval.ClassifierStage;
import org.prunelab.stages.io.Npy;
import org.prunelab.stages.kernel.MaskedDenseKernels;

/** The evaluate stage on a tiny synthetic problem (6x6 images, 6 hidden units, half the connections pruned). */
class RbmEvaluateStageTest {
    @TempDir
    static Path shared;
    static Path data;
    static Path model;
    static Path classifier;

    @TempDir
    Path dir;

    @BeforeAll
    static void upstream() throws Exception {
        data = StageFixtures.loadData(shared, 200, 60);
        Path init = TestRbms.initStep(shared, data, 6, 3);
        RbmPruneStage prune = new RbmPruneStage("prune", "init");
        Path pruned = new TestStageContext(prune, "prune-1", Map.of("prune.sparsity", 0.5, "seed", 3L),
                shared.resolve("prune-1")).input("init", init).run(prune);
        RbmTrainStage train = new RbmTrainStage("retrain", "load-data", "prune-2");
        model = new TestStageContext(train, "retrain", Map.of("retrain.epochs", 3, "retrain.batch_size", 20,
                "retrain.learning_rate", 0.05, "retrain.monitor_samples", 20, "seed", 3L), shared.resolve("retrain"))
                .input("load-data", data).input("prune-2", pruned).run(train);
        ClassifierStage cls = new ClassifierStage("load-data");
        classifier = new TestStageContext(cls, "classifier", Map.of("classifier.model", "softmax",
                "classifier.epochs", 5, "classifier.learning_rate", 0.1), shared.resolve("classifier"))
                .input("load-data", data).run(cls);
    }

    @Test
    void allSwitchesOnWriteEveryArtifactAndMetric() throws Exception {
        RbmEvaluateStage stage = new RbmEvaluateStage("load-data", "retrain", "classifier");
        Map<String, Object> config = new HashMap<>();
        config.put("seed", 3L);
        config.put("evaluate.samples", 40);
        config.put("evaluate.gibbs_sweeps", 20);
        config.put("evaluate.sample_kind", "mean-field");
        config.put("evaluate.ais", true);
        config.put("evaluate.ais_runs", 50);
        config.put("evaluate.ais_betas", 1500);
        config.put("evaluate.sample_scores", true);
        config.put("evaluate.ising", true);
        TestStageContext ctx = new TestStageContext(stage, "evaluate", config, dir.resolve("evaluate"))
                .input("load-data", data).input("retrain", model).input("classifier", classifier);
        Path out = ctx.run(stage);

        for (String f : List.of("evaluation.json", "samples.png", "samples.npy", "degree_map.png", "couplings.png")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
            assertTrue(ctx.artifacts.contains(f), f + " published");
        }
        // AIS agrees with the exact log Z of this 6-hidden-unit model (spec §7.4 test).
        double exact = ctx.metric("log_z");
        double ais = ctx.metric("log_z_ais");
        assertEquals(exact, ais, 0.1, "AIS log Z vs exact");
        assertTrue(ctx.metric("log_z_ais_lower") <= ctx.metric("log_z_ais_upper"));
        assertTrue(ctx.metric("ais_ess") >= 1.0 && ctx.metric("ais_ess") <= 50.0);
        assertEquals(ctx.metric("test_exact_ll"), ctx.metric("test_ais_ll"), 0.1);
        assertEquals(ctx.metric("test_ais_ll") - ctx.metric("test_exact_ll"), ctx.metric("ais_error"), 1e-12);
        // Classifier scores with ceiling and both floors, and pixel statistics.
        for (String prefix : List.of("score.", "ceiling.", "floor_noise.", "floor_bias.")) {
            for (String s : List.of("confident_0.9", "mean_confidence", "coverage_entropy", "inception_score")) {
                assertTrue(Double.isFinite(ctx.metric(prefix + s)), prefix + s);
            }
        }
        assertTrue(ctx.metric("ceiling.mean_confidence") > ctx.metric("floor_noise.mean_confidence"));
        // Comparable references: the ceiling scores as many test images (of 60) as there are samples (40).
        for (String scored : List.of("score.", "ceiling.", "floor_noise.", "floor_bias.")) {
            assertEquals(40.0, ctx.metric(scored + "images"), scored);
        }
        // The no-information PLL: independent pixels, PLL = mean over images of sum_i log sigmoid((2v_i - 1) a_i).
        double[] a = AnnealedImportanceSampling.baseBiases(Npy.readDoubles(data.resolve("pixel_means.npy")));
        org.prunelab.stages.data.DatasetRef ref = org.prunelab.stages.data.DatasetRef.read(data);
        double[] test = ref.testBinary();
        int m = Math.min(1000, Math.min(ref.testCount(), ref.trainCount()));
        double floor = 0;
        for (int r = 0; r < m; r++) {
            for (int i = 0; i < a.length; i++) {
                double z = (2 * test[r * a.length + i] - 1) * a[i];
                floor += -Math.log1p(Math.exp(-z));
            }
        }
        assertEquals(floor / m, ctx.metric("floor_pll"), 1e-9);
        assertTrue(Double.isFinite(ctx.metric("pixels.pixel_mean_rmse")));
        assertTrue(ctx.metric("classifier.test_accuracy") > 0.5);
        // Ising summary and mask statistics of the evaluated model.
        assertTrue(ctx.metric("gim.J.frobenius") > 0.0);
        assertEquals(0.5, ctx.metric("mask.sparsity"), 1e-12);
        assertTrue(ctx.metric("mask.components") >= 1.0);
        double[] j = Npy.readDoubles(out.resolve("ising_couplings.npy"));
        assertEquals(36 * 36, j.length);
        // Mean-field samples are probabilities, recorded as such (spec §4 sample.kind).
        double[] samples = Npy.readDoubles(out.resolve("samples.npy"));
        assertTrue(java.util.Arrays.stream(samples).anyMatch(v -> v > 0.0 && v < 1.0));
        Map<?, ?> report = new ObjectMapper().readValue(out.resolve("evaluation.json").toFile(), Map.class);
        assertEquals("mean-field", ((Map<?, ?>) report.get("sample")).get("kind"));
        assertTrue(report.containsKey("ais") && report.containsKey("classifier") && report.containsKey("ising"));
    }

    @Test
    void defaultEvaluationStaysQuickAndKeepsTheBinarySamples() throws Exception {
        RbmEvaluateStage stage = new RbmEvaluateStage("load-data", "retrain");
        assertFalse(stage.configKeys().contains(RbmEvaluateStage.SAMPLE_SCORES),
                "without a classifier step sample_scores is not a key, so asking for it fails at config time");
        Map<String, Object> config = Map.of("seed", 3L, "evaluate.samples", 20, "evaluate.gibbs_sweeps", 10);
        TestStageContext ctx = new TestStageContext(stage, "evaluate", config, dir.resolve("evaluate"))
                .input("load-data", data).input("retrain", model);
        Path out = ctx.run(stage);
        assertFalse(ctx.metrics.containsKey("log_z_ais"));
        assertFalse(ctx.metrics.containsKey("gim.J.frobenius"));
        assertFalse(Files.exists(out.resolve("couplings.png")));
        assertTrue(Files.exists(out.resolve("degree_map.png")));
        assertEquals(0.5, ctx.metric("mask.sparsity"), 1e-12);
        // Same stream as before the extensions: binary samples from Seeds.stream(seed, 0).
        Rbm rbm = RbmFiles.read(model);
        double[] expected = RbmSampler.sample(rbm, org.prunelab.stages.kernel.MaskedDenseKernels.forLayer(rbm, "auto"), 20, 10,
                org.prunelab.stages.Seeds.stream(org.prunelab.stages.Seeds.derive(3L, "rbm.evaluate"), 0));
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, Npy.readDoubles(out.resolve("samples.npy")));
    }
}
