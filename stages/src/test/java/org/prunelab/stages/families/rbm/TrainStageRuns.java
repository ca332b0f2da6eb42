package org.prunelab.stages.families.rbm;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.prunelab.stages.KillingCheckpointStore;
import org.prunelab.stages.TestStageContext;
import org.prunelab.stages.io.CheckpointStore;
import org.prunelab.stages.io.DirectoryCheckpointStore;

/**
 * Runs the RBM train stage on a small data set for the tests that check a runtime option end to end
 * through the stage (precision, sampling): optionally killed after a number of checkpoint saves, so a
 * second call on the same root resumes.
 */
final class TrainStageRuns {
    private TrainStageRuns() {
    }

    /** Two epochs of batch 20 at learning rate 0.1, seed 7, with {@code settings} on top. */
    static Map<String, Object> config(Map<String, Object> settings) {
        Map<String, Object> c = new HashMap<>();
        c.put("seed", 7L);
        c.put("train.epochs", 2);
        c.put("train.batch_size", 20);
        c.put("train.learning_rate", 0.1);
        c.put("train.monitor_samples", 20);
        c.putAll(settings);
        return c;
    }

    /** Trains under {@code root}; with {@code killAfterSaves} > 0 the run dies after that many checkpoints. */
    static Rbm train(Path data, Path init, Map<String, Object> config, Path root, int killAfterSaves) throws Exception {
        RbmTrainStage stage = new RbmTrainStage("train", "load-data", "prune-1");
        TestStageContext context = new TestStageContext(stage, "train", config, root.resolve("work"))
                .input("load-data", data).input("prune-1", init);
        CheckpointStore store = new DirectoryCheckpointStore(root.resolve("checkpoints"), 2, 3, 0, Clock.systemUTC(),
                w -> { });
        context.checkpointStore(killAfterSaves <= 0 ? store : new KillingCheckpointStore(store, killAfterSaves));
        return RbmFiles.read(context.run(stage));
    }
}
