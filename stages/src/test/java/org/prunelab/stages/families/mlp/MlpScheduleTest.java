package org.prunelab.stages.families.mlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.stages.TestStageContext;
import org.prunelab.stages.io.DirectoryCheckpointStore;

/**
 * The pruning schedules of the authors' experiments on synthetic 8×8 data (64-16-10: 1,184 weights):
 * fixed count per step, the weight floor, variable retraining stopping on the plateau, and the
 * second-order methods run through the stage.
 */
class MlpScheduleTest {
    @TempDir
    static Path shared;
    static Path data;
    static Path init;

    @BeforeAll
    static void dataAndInit() throws Exception {
        data = MlpTestData.dataStep(shared.resolve("data"), 400, 100, 8, 78);
        init = run(new MlpInitStage("load-data"), Map.of("model.hidden_layers", "16", "seed", 5),
                shared.resolve("init"), Map.of("load-data", data)).workDir();
    }

    private static TestStageContext run(org.prunelab.stages.Stage stage, Map<String, Object> config, Path root,
                                        Map<String, Path> inputs) throws Exception {
        TestStageContext context = new TestStageContext(stage, "step", config, root.resolve("work"));
        inputs.forEach(context::input);
        context.checkpointStore(new DirectoryCheckpointStore(root.resolve("checkpoints"), 2, 0, 0, Clock.systemUTC(),
                w -> { }));
        context.run(stage);
        return context;
    }

    private static TestStageContext prune(Path dir, Object... kv) throws Exception {
        Map<String, Object> m = new HashMap<>();
        m.put("mlp.validation", 100);
        m.put("seed", 3);
        for (int i = 0; i < kv.length; i += 2) {
            m.put("prune2." + kv[i], kv[i + 1]);
        }
        return run(new MlpPruneStage("prune2", "load-data", "init"), m, dir, Map.of("load-data", data, "init", init));
    }

    private static List<Map<String, String>> steps(TestStageContext c) throws Exception {
        try (var reader = Files.newBufferedReader(c.workDir().resolve("steps.csv"));
             var csv = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                     .parse(reader)) {
            List<Map<String, String>> rows = new java.util.ArrayList<>();
            csv.forEach(r -> rows.add(r.toMap()));
            return rows;
        }
    }

    @Test
    void fixedCountScheduleRemovesExactlyThatManyWeightsPerStepDownToTheFloor(@TempDir Path dir) throws Exception {
        for (String method : List.of("class-blinded", "class-uniform", "random", "obd")) {
            TestStageContext c = prune(dir.resolve(method), "method", method, "schedule", "iterative", "count", 150,
                    "target_compression", 1.0, "min_weights", 500, "retrain_epochs", 0);
            List<Map<String, String>> rows = steps(c);
            // 1184 → 1034 → 884 → 734 → 584 → 500: the last step removes only the 84 above the floor.
            assertEquals(6, rows.size(), method);
            for (int k = 1; k < rows.size() - 1; k++) {
                assertEquals("150", rows.get(k).get("weights_removed"), method + " step " + k);
                assertEquals(1184 - 150L * k, Long.parseLong(rows.get(k).get("weights_remaining")), method);
            }
            assertEquals("84", rows.get(5).get("weights_removed"), method);
            assertEquals("500", rows.get(5).get("weights_remaining"), method);
        }
    }

    /**
     * Experiment 3's case: the count is larger than what is left above the floor (there: 10,000 of the
     * 9,400 after seven steps). The step removes only down to min_weights, not every weight.
     */
    @Test
    void aCountLargerThanWhatIsLeftStopsAtTheFloorInsteadOfRemovingEveryWeight(@TempDir Path dir) throws Exception {
        for (String method : List.of("class-blinded", "class-uniform")) {
            TestStageContext c = prune(dir.resolve(method), "method", method, "schedule", "iterative", "count", 600,
                    "target_compression", 1.0, "min_weights", 100, "retrain_epochs", 0);
            List<Map<String, String>> rows = steps(c);
            // 1184 → 584 → 100 (unclipped: 584 − 600 → 0, an empty network)
            assertEquals(3, rows.size(), method);
            assertEquals("584", rows.get(1).get("weights_remaining"), method);
            assertEquals("484", rows.get(2).get("weights_removed"), method);
            assertEquals(100L, MlpFiles.read(c.workDir()).remainingWeights(), method);
        }
    }

    @Test
    void rateScheduleStopsOnceAtMostTheFloorRemains(@TempDir Path dir) throws Exception {
        TestStageContext c = prune(dir, "method", "class-blinded", "schedule", "iterative", "rate", 0.5,
                "target_compression", 1.0, "min_weights", 100, "retrain_epochs", 0);
        List<Map<String, String>> rows = steps(c);
        long last = Long.parseLong(rows.get(rows.size() - 1).get("weights_remaining"));
        long before = Long.parseLong(rows.get(rows.size() - 2).get("weights_remaining"));
        assertTrue(last <= 100 && before > 100, "stops at the first step at or under the floor: " + before + " → " + last);
        assertEquals(rows.size() - 1, (int) c.metric("prune.steps", 0));
    }

    @Test
    void variableRetrainingStopsOnThePlateauAndOtherwiseRunsToItsCap(@TempDir Path dir) throws Exception {
        // lr 0: the validation accuracy never changes, so its gain (0) is below min_gain 0.001 after the
        // first epoch — stop; with min_gain 0 a gain of 0 is enough to go on, so it runs to the cap.
        TestStageContext stall = prune(dir.resolve("stall"), "method", "class-blinded", "target_compression", 0.8,
                "retrain_epochs", 0, "retrain_until_stall", true, "max_retrain_epochs", 25, "learning_rate", 0.0);
        assertEquals("1", steps(stall).get(1).get("retrain_epochs"));
        TestStageContext cap = prune(dir.resolve("cap"), "method", "class-blinded", "target_compression", 0.8,
                "retrain_epochs", 0, "retrain_until_stall", true, "max_retrain_epochs", 4, "learning_rate", 0.0,
                "min_gain", 0.0);
        assertEquals("4", steps(cap).get(1).get("retrain_epochs"));
        // A learning network stops somewhere between, when its validation accuracy stops improving.
        TestStageContext real = prune(dir.resolve("real"), "method", "class-blinded", "target_compression", 0.9,
                "retrain_epochs", 0, "retrain_until_stall", true, "max_retrain_epochs", 25, "learning_rate", 0.05);
        int epochs = Integer.parseInt(steps(real).get(1).get("retrain_epochs"));
        assertTrue(epochs >= 1 && epochs < 25, "stopped on the plateau after " + epochs);
    }

    @Test
    void secondOrderMethodsPruneThroughTheStageAndLobsCorrectsTheSurvivors(@TempDir Path dir) throws Exception {
        Mlp dense = MlpFiles.read(init);
        for (String method : List.of("obd", "obd-fisher", "l-obs")) {
            TestStageContext c = prune(dir.resolve(method), "method", method, "target_compression", 0.6,
                    "retrain_epochs", 0);
            Mlp p = MlpFiles.read(c.workDir());
            assertEquals(0.6, p.compression(), 0.01, method);
            boolean moved = false;
            for (int l = 0; l < p.layers(); l++) {
                for (int j = 0; j < p.w[l].length; j++) {
                    if (p.mask[l][j] != 0 && p.w[l][j] != dense.w[l][j]) {
                        moved = true;
                    }
                }
            }
            assertEquals(method.equals("l-obs"), moved, method + ": surviving weights corrected only by L-OBS");
            if (method.equals("l-obs")) { // per-layer threshold: each layer loses the same fraction
                assertEquals(p.density(0), p.density(1), 0.01);
            }
        }
        assertFalse(Files.exists(dir.resolve("none")));
    }
}
