package org.prunelab.stages.families.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.stages.KillingCheckpointStore;
import org.prunelab.stages.Stage;
import org.prunelab.stages.TestStageContext;
import org.prunelab.stages.data.DataFormatException;
import org.prunelab.stages.io.CheckpointStore;
import org.prunelab.stages.io.DirectoryCheckpointStore;
import org.prunelab.stages.recurrent.Parameter;
import org.prunelab.stages.recurrent.RecurrentClassifier;
import org.prunelab.stages.recurrent.RecurrentLayer;

/** The recurrent family's stages on a small generated Reber task through a test context. */
class RnnStagesTest {
    @TempDir
    Path dir;

    private static Map<String, Object> config() {
        Map<String, Object> c = new HashMap<>();
        c.put("seed", 3L);
        c.put("data.valid_strings", 240);
        c.put("data.foreign_strings", 120);
        c.put("data.broken_strings", 120);
        c.put("data.train_size", 360);
        c.put("model.cell", "gru");
        c.put("model.embedding", 6);
        c.put("model.hidden", 8);
        c.put("model.layers", 2);
        c.put("model.readout", "last-symbol");
        c.put("train.epochs", 6);
        c.put("train.learning_rate", 0.02);
        c.put("retrain.epochs", 2);
        c.put("prune.rate", 0.6);
        return c;
    }

    private TestStageContext run(Stage stage, String step, Map<String, Object> cfg, Map<String, Path> inputs,
                                 int checkpointEvery, int killAfterSaves) throws Exception {
        Path root = dir.resolve(step + "-" + killAfterSaves + "-" + System.nanoTime());
        return runIn(root, stage, cfg, inputs, checkpointEvery, killAfterSaves);
    }

    private static TestStageContext runIn(Path root, Stage stage, Map<String, Object> cfg, Map<String, Path> inputs,
                                          int checkpointEvery, int killAfterSaves) throws Exception {
        TestStageContext context = new TestStageContext(stage, "step", cfg, root.resolve("work"));
        inputs.forEach(context::input);
        CheckpointStore store = new DirectoryCheckpointStore(root.resolve("checkpoints"), 2, checkpointEvery, 0,
                Clock.systemUTC(), w -> { });
        context.checkpointStore(killAfterSaves <= 0 ? store : new KillingCheckpointStore(store, killAfterSaves));
        context.run(stage);
        return context;
    }

    @Test
    void trainPruneRetrainKeepsPrunedWeightsAtZeroAndLearns() throws Exception {
        Map<String, Object> cfg = config();
        Path data = run(new ReberDataStage(), "data", cfg, Map.of(), 0, 0).workDir();
        Path init = run(new RnnInitStage(), "init", cfg, Map.of(), 0, 0).workDir();
        TestStageContext train = run(new RnnTrainStage("train", "load-data", "init", 50), "train", cfg,
                Map.of("load-data", data, "init", init), 0, 0);
        double before = train.metric("test_accuracy", 0);
        double after = train.metric("test_accuracy", 6);
        assertTrue(after > 0.7 && after > before, "training should learn the task: " + before + " -> " + after);
        assertTrue(train.metric("train_loss", 6) < train.metric("train_loss", 1), "the training loss falls");

        TestStageContext prune = run(new RnnPruneStage("train"), "prune", cfg, Map.of("train", train.workDir()), 0, 0);
        assertEquals(0.6, prune.metric("sparsity_achieved"), 0.01);
        TestStageContext retrain = run(new RnnTrainStage("retrain", "load-data", "prune", 10), "retrain", cfg,
                Map.of("load-data", data, "prune", prune.workDir()), 0, 0);
        RecurrentClassifier pruned = RnnModelFiles.read(prune.workDir());
        RecurrentClassifier retrained = RnnModelFiles.read(retrain.workDir());
        for (int l = 0; l < pruned.layers().size(); l++) {
            Parameter p = pruned.layers().get(l).inputWeights(), q = retrained.layers().get(l).inputWeights();
            assertArrayEquals(p.mask(), q.mask(), "masks do not change in retraining");
            for (int i = 0; i < q.size(); i++) {
                if (q.mask()[i] == 0) {
                    assertEquals(0.0, q.value()[i], "pruned weight " + q.name() + "[" + i + "] must stay exactly 0");
                }
            }
        }
        assertTrue(retrain.metrics.get("test_accuracy").containsKey(0L), "accuracy right after pruning is step 0");
        TestStageContext eval = run(new RnnEvaluateStage("load-data", "retrain"), "evaluate", cfg,
                Map.of("load-data", data, "retrain", retrain.workDir()), 0, 0);
        assertEquals(retrain.metric("test_accuracy", 2), eval.metric("test_accuracy"), 1e-12);
        assertEquals(0.6, eval.metric("recurrent_sparsity"), 0.01);
    }

    @Test
    void selectionsPruneOnlyTheirMatricesAndRateOneKeepsOnlyTheLargest() throws Exception {
        Map<String, Object> cfg = config();
        cfg.put("train.epochs", 1);
        Path data = run(new ReberDataStage(), "data", cfg, Map.of(), 0, 0).workDir();
        Path init = run(new RnnInitStage(), "init", cfg, Map.of(), 0, 0).workDir();
        Path train = run(new RnnTrainStage("train", "load-data", "init", 50), "train", cfg,
                Map.of("load-data", data, "init", init), 0, 0).workDir();
        cfg.put("prune.selection", "h2h");
        cfg.put("prune.rate", 1.0);
        RecurrentClassifier m = RnnModelFiles.read(run(new RnnPruneStage("train"), "prune", cfg,
                Map.of("train", train), 0, 0).workDir());
        int keptH2h = 0;
        for (RecurrentLayer layer : m.layers()) {
            assertEquals(layer.inputWeights().size(), layer.inputWeights().kept(), "i2h untouched by an h2h selection");
            keptH2h += layer.recurrentWeights().kept();
        }
        // class-blinded keeps |w| >= the 100th percentile: only the largest weight(s) of the pool survive.
        assertTrue(keptH2h >= 1 && keptH2h <= 2, "kept " + keptH2h);
    }

    @Test
    void aKilledTrainingResumesBitIdentically() throws Exception {
        Map<String, Object> cfg = config();
        cfg.put("train.epochs", 2);
        Path data = run(new ReberDataStage(), "data", cfg, Map.of(), 0, 0).workDir();
        Path init = run(new RnnInitStage(), "init", cfg, Map.of(), 0, 0).workDir();
        Map<String, Path> inputs = Map.of("load-data", data, "init", init);
        TestStageContext whole = run(new RnnTrainStage("train", "load-data", "init", 50), "train", cfg, inputs, 4, 0);
        // 12 batches per epoch (360 strings, batch 32); checkpoints every 4 updates: killed after the 2nd (update 8, mid-epoch 1).
        Path root = dir.resolve("killed");
        assertThrows(KillingCheckpointStore.Killed.class,
                () -> runIn(root, new RnnTrainStage("train", "load-data", "init", 50), cfg, inputs, 4, 2));
        TestStageContext resumed = runIn(root, new RnnTrainStage("train", "load-data", "init", 50), cfg, inputs, 4, 0);
        for (String file : List.of("parameters.npz")) {
            assertArrayEquals(Files.readAllBytes(whole.workDir().resolve(file)),
                    Files.readAllBytes(resumed.workDir().resolve(file)), file + " differs after kill and resume");
        }
        assertEquals(whole.metric("test_accuracy", 2), resumed.metric("test_accuracy", 2));
    }

    @Test
    void aUserCsvIsReadAndABadOneNamesTheFile() throws Exception {
        Path csv = dir.resolve("reber");
        Files.createDirectories(csv);
        Files.writeString(csv.resolve("train.csv"), "string,valid\nBTXSE,1\nBTXAE,0\n");
        Files.writeString(csv.resolve("test.csv"), "string,valid\nBPVVE,1\nBPVVA,maybe\n");
        Map<String, Object> cfg = config();
        cfg.put("data.source", "csv");
        cfg.put("data.reber_dir", csv.toString());
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> run(new ReberDataStage(), "data", cfg, Map.of(), 0, 0));
        assertTrue(e.getMessage().contains("test.csv: line 3: label 'maybe'"), e.getMessage());
        Files.writeString(csv.resolve("test.csv"), "string,valid\nBPVVE,1\nBPVVA,0\n");
        TestStageContext ok = run(new ReberDataStage(), "data", cfg, Map.of(), 0, 0);
        assertEquals(2, ok.metric("train_count"));
        assertEquals(0.5, ok.metric("test_invalid_share"));
    }
}
