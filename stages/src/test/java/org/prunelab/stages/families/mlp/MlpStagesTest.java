package org.prunelab.stages.families.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.stages.KillingCheckpointStore;
import org.prunelab.stages.Stage;
import org.prunelab.stages.TestStageContext;
import org.prunelab.stages.io.CheckpointStore;
import org.prunelab.stages.io.DirectoryCheckpointStore;

/** The four MLP stages driven through a fake context on synthetic 8×8 data. */
class MlpStagesTest {
    @TempDir
    static Path shared;
    static Path data;
    static Path init;

    @BeforeAll
    static void dataAndInit() throws Exception {
        data = MlpTestData.dataStep(shared.resolve("data"), 600, 200, 8, 77);
        init = run(new MlpInitStage("load-data"), Map.of("model.hidden_layers", "16", "seed", 5),
                shared.resolve("init"), Map.of("load-data", data), 0, 0).workDir();
    }

    /** Runs a stage with its outputs in root/work and checkpoints in root/checkpoints (shared by re-runs). */
    private static TestStageContext run(Stage stage, Map<String, Object> config, Path root, Map<String, Path> inputs,
                                        long checkpointEvery, int killAfterSaves) throws Exception {
        TestStageContext context = new TestStageContext(stage, "step", config, root.resolve("work"));
        inputs.forEach(context::input);
        CheckpointStore store = new DirectoryCheckpointStore(root.resolve("checkpoints"), 2, checkpointEvery, 0,
                Clock.systemUTC(), w -> { });
        context.checkpointStore(killAfterSaves <= 0 ? store : new KillingCheckpointStore(store, killAfterSaves));
        context.run(stage);
        return context;
    }

    private static boolean logged(TestStageContext c, String key, long step) {
        return c.metrics.getOrDefault(key, Map.of()).containsKey(step);
    }

    private static Map<String, Object> config(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        m.put("mlp.validation", 100);
        m.put("seed", 3);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void assertSameModel(Mlp a, Mlp b) {
        assertArrayEquals(a.sizes, b.sizes);
        for (int l = 0; l < a.layers(); l++) {
            assertArrayEquals(a.w[l], b.w[l], "w" + l);
            assertArrayEquals(a.b[l], b.b[l], "b" + l);
            assertArrayEquals(a.mask[l], b.mask[l], "mask" + l);
        }
    }

    @Test
    void initWritesADenseModelAndRejectsBadLayerStrings(@TempDir Path dir) throws Exception {
        Mlp mlp = MlpFiles.read(init);
        assertArrayEquals(new int[] {64, 16, 10}, mlp.sizes);
        assertEquals(0.0, mlp.compression());
        Mlp again = MlpFiles.read(run(new MlpInitStage("load-data"), Map.of("model.hidden_layers", "16", "seed", 5),
                dir.resolve("a"), Map.of("load-data", data), 0, 0).workDir());
        assertSameModel(mlp, again);
        Exception e = assertThrows(Exception.class, () -> run(new MlpInitStage("load-data"),
                Map.of("model.hidden_layers", "16-abc"), dir.resolve("b"), Map.of("load-data", data), 0, 0));
        assertTrue(e.getMessage().contains("model.hidden_layers"), e.getMessage());
    }

    @Test
    void trainingResumedMidEpochIsBitIdenticalToAnUninterruptedRun(@TempDir Path dir) throws Exception {
        Map<String, Object> cfg = config("train.max_epochs", 4, "train.momentum", 0.9, "train.batch_size", 32,
                "train.learning_rate", 0.05, "train.min_gain", 0.5);
        Map<String, Path> inputs = Map.of("load-data", data, "init", init);
        TestStageContext whole = run(new MlpTrainStage("train", "load-data", "init"), cfg, dir.resolve("whole"), inputs, 0, 0);
        Mlp expected = MlpFiles.read(whole.workDir());
        // Same seed again: bit-identical.
        assertSameModel(expected, MlpFiles.read(run(new MlpTrainStage("train", "load-data", "init"), cfg,
                dir.resolve("again"), inputs, 0, 0).workDir()));
        // Killed right after the 2nd checkpoint (every 7 updates: after update 14, mid-way through the 16-batch first epoch), then restarted.
        Path root = dir.resolve("killed");
        assertThrows(KillingCheckpointStore.Killed.class, () -> run(new MlpTrainStage("train", "load-data", "init"), cfg, root,
                inputs, 7, 2));
        TestStageContext resumed = run(new MlpTrainStage("train", "load-data", "init"), cfg, root, inputs, 7, 0);
        assertSameModel(expected, MlpFiles.read(resumed.workDir()));
        assertEquals(Files.readString(whole.workDir().resolve("history.csv")),
                Files.readString(resumed.workDir().resolve("history.csv")));
        assertTrue(whole.metric("final.test_accuracy", 0) > 0.8, "synthetic data is easy: " + whole.metrics);
        assertTrue(logged(whole, "val_accuracy", 4) || logged(whole, "val_accuracy", 3));
    }

    @Test
    void float32TrainingResumesBitIdenticallyAndStaysCloseToFp64(@TempDir Path dir) throws Exception {
        // A fixed schedule: a plateau decision on validation accuracy could differ between precisions.
        Map<String, Object> fp64 = config("train.max_epochs", 2, "train.schedule", "fixed", "train.momentum", 0.9,
                "train.batch_size", 32, "train.learning_rate", 0.05);
        Map<String, Object> fp32 = new HashMap<>(fp64);
        fp32.put("runtime.precision", "float32");
        Map<String, Path> inputs = Map.of("load-data", data, "init", init);
        Mlp whole = MlpFiles.read(run(new MlpTrainStage("train", "load-data", "init"), fp32, dir.resolve("whole"), inputs,
                0, 0).workDir());
        Path root = dir.resolve("killed");
        assertThrows(KillingCheckpointStore.Killed.class, () -> run(new MlpTrainStage("train", "load-data", "init"), fp32,
                root, inputs, 7, 2));
        assertSameModel(whole, MlpFiles.read(run(new MlpTrainStage("train", "load-data", "init"), fp32, root, inputs, 7, 0)
                .workDir()));
        Mlp reference = MlpFiles.read(run(new MlpTrainStage("train", "load-data", "init"), fp64, dir.resolve("fp64"),
                inputs, 0, 0).workDir());
        double largest = 0.0;
        for (int l = 0; l < whole.layers(); l++) {
            for (int j = 0; j < whole.w[l].length; j++) {
                largest = Math.max(largest, Math.abs(whole.w[l][j] - reference.w[l][j]));
            }
        }
        // 32 SGD updates (see MlpFloat32TrainingTest for the bound per update): the stage trains in fp32.
        assertTrue(largest > 0.0 && largest < 1e-5, "largest |w32 - w64| = " + largest);
    }

    @Test
    void plateauRuleDecaysTheLearningRateThenStops(@TempDir Path dir) throws Exception {
        // min_gain 100 points: every epoch is a plateau. lr 0.01 → 0.001 → 1e-4 → stop (1e-4 is not > min_lr).
        Map<String, Object> cfg = config("train.max_epochs", 10, "train.min_gain", 100.0);
        TestStageContext c = run(new MlpTrainStage("train", "load-data", "init"), cfg, dir, Map.of("load-data", data,
                "init", init), 0, 0);
        assertEquals(0.01, c.metric("lr", 1), 0.0);
        assertEquals(0.001, c.metric("lr", 2), 1e-18);
        assertEquals(1e-4, c.metric("lr", 3), 1e-18);
        assertEquals(0.5, c.metric("momentum", 2), 0.0);
        assertFalse(logged(c, "lr", 4), "stops after the epoch at min_lr");
        assertEquals(3.0, c.metric("final.epochs", 0), 0.0);
    }

    @Test
    void retrainingStartsFromThePrunedWeightsAndKeepsThemPruned(@TempDir Path dir) throws Exception {
        Map<String, Path> inputs = Map.of("load-data", data, "init", init);
        TestStageContext pruned = run(new MlpPruneStage("prune1", "load-data", "init"),
                config("prune1.method", "class-blinded", "prune1.target_compression", 0.7, "prune1.retrain_epochs", 0),
                dir.resolve("prune"), inputs, 0, 0);
        Mlp p = MlpFiles.read(pruned.workDir());
        assertEquals(0.7, p.compression(), 2.0 / p.prunableWeights());
        Map<String, Path> after = Map.of("load-data", data, "prune1", pruned.workDir());
        // lr 0: the trained model IS the pruned model, so training read the pruned weights, not init's.
        Mlp still = MlpFiles.read(run(new MlpTrainStage("retrain", "load-data", "prune1"),
                config("retrain.learning_rate", 0.0, "retrain.max_epochs", 1, "retrain.schedule", "fixed"),
                dir.resolve("lr0"), after, 0, 0).workDir());
        assertSameModel(p, still);
        assertFalse(java.util.Arrays.equals(MlpFiles.read(init).w[0], still.w[0]));
        // Real retraining with Adam: kept weights move, pruned ones stay exactly 0, masks unchanged.
        Mlp trained = MlpFiles.read(run(new MlpTrainStage("retrain", "load-data", "prune1"),
                config("retrain.optimizer", "adam", "retrain.learning_rate", 0.01, "retrain.max_epochs", 2,
                        "retrain.schedule", "fixed"), dir.resolve("adam"), after, 0, 0).workDir());
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(p.mask[l], trained.mask[l]);
            for (int j = 0; j < p.w[l].length; j++) {
                if (p.mask[l][j] == 0) {
                    assertEquals(0.0, trained.w[l][j], 0.0);
                }
            }
            assertFalse(java.util.Arrays.equals(p.w[l], trained.w[l]));
        }
    }

    @Test
    void iterativePruningResumesAtTheRightStepBitExactly(@TempDir Path dir) throws Exception {
        Map<String, Object> cfg = config("prune2.method", "class-distribution", "prune2.schedule", "iterative",
                "prune2.rate", 0.3, "prune2.target_compression", 0.75, "prune2.retrain_epochs", 1,
                "prune2.momentum", 0.5);
        Map<String, Path> inputs = Map.of("load-data", data, "init", init);
        TestStageContext whole = run(new MlpPruneStage("prune2", "load-data", "init"), cfg, dir.resolve("whole"), inputs, 0, 0);
        Mlp expected = MlpFiles.read(whole.workDir());
        // 0.7^k: steps 1..4 give 30 %, 51 %, 65.7 %, 76 % compression; stop after step 4.
        assertEquals(4.0, whole.metric("prune.steps", 0), 0.0);
        for (int k = 1; k <= 4; k++) {
            assertEquals(1 - Math.pow(0.7, k), whole.metric("prune.compression", k), 3e-3, "step " + k);
            assertTrue(logged(whole, "prune.test_accuracy_before_retrain", k));
            assertTrue(logged(whole, "prune.test_accuracy_after_retrain", k));
        }
        List<String> steps = Files.readAllLines(whole.workDir().resolve("steps.csv"));
        assertEquals(6, steps.size()); // header, step 0 (input model), steps 1..4
        assertTrue(steps.get(0).contains("test_accuracy_before_retrain"));
        List<String> allocation = Files.readAllLines(whole.workDir().resolve("allocation.csv"));
        assertEquals(1 + 5 * 2, allocation.size());
        // Killed after the checkpoint of step 2, restarted: same result as the uninterrupted run.
        Path root = dir.resolve("killed");
        assertThrows(KillingCheckpointStore.Killed.class, () -> run(new MlpPruneStage("prune2", "load-data", "init"), cfg, root,
                inputs, 0, 2));
        TestStageContext resumed = run(new MlpPruneStage("prune2", "load-data", "init"), cfg, root, inputs, 0, 0);
        assertSameModel(expected, MlpFiles.read(resumed.workDir()));
        assertEquals(Files.readString(whole.workDir().resolve("steps.csv")),
                Files.readString(resumed.workDir().resolve("steps.csv")));
    }

    @Test
    void methodNonePassesThroughAndEvaluateReportsAccuracyAndDensity(@TempDir Path dir) throws Exception {
        Map<String, Path> inputs = Map.of("load-data", data, "init", init);
        TestStageContext none = run(new MlpPruneStage("prune1", "load-data", "init"), config(), dir.resolve("none"), inputs, 0, 0);
        assertSameModel(MlpFiles.read(init), MlpFiles.read(none.workDir()));
        TestStageContext random = run(new MlpPruneStage("prune1", "load-data", "init"),
                config("prune1.method", "random", "prune1.target_compression", 0.5, "prune1.retrain_epochs", 0,
                        "prune1.prune_output_layer", false), dir.resolve("random"), inputs, 0, 0);
        Mlp r = MlpFiles.read(random.workDir());
        assertEquals(160, r.remaining(1));
        TestStageContext eval = run(new MlpEvaluateStage("load-data", "random"), Map.of(), dir.resolve("eval"),
                Map.of("load-data", data, "random", random.workDir()), 0, 0);
        Map<?, ?> report = new ObjectMapper().readValue(eval.workDir().resolve("evaluation.json").toFile(), Map.class);
        Map<?, ?> metrics = (Map<?, ?>) report.get("metrics");
        assertEquals(r.compression(), ((Number) metrics.get("compression")).doubleValue(), 1e-15);
        assertEquals(1.0, ((Number) metrics.get("layer1_density")).doubleValue(), 0.0);
        double acc = ((Number) metrics.get("test_accuracy")).doubleValue();
        assertEquals(random.metric("prune.test_accuracy_after_retrain", 1), acc, 1e-15);
        assertNotEquals(0.0, acc);
    }
}
