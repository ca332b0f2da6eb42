package org.prunelab.stages.families.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.stages.KillingCheckpointStore;
import org.prunelab.stages.TestStageContext;
import org.prunelab.stages.data.StageFixtures;
import org.prunelab.stages.io.CheckpointStore;
import org.prunelab.stages.io.DirectoryCheckpointStore;
import org.prunelab.stages.linalg.Numerics;

/**
 * {@code runtime.sampling: counter} through the train stage (PCD-2, sparse kernel): a run killed after
 * a checkpoint and restarted ends bit-identical to an uninterrupted one (the counter key derives from
 * the seed and the position a checkpoint restores), so does a run at another thread count, and the
 * result differs from the default sequential sampling's (the key reaches the trainer).
 */
class RbmCounterSamplingStageTest {
    @TempDir
    Path dir;

    private static Map<String, Object> config(String sampling) {
        Map<String, Object> c = new HashMap<>();
        c.put("seed", 7L);
        c.put("train.epochs", 2);
        c.put("train.batch_size", 20);
        c.put("train.k", 2);
        c.put("train.learning_rate", 0.1);
        c.put("train.monitor_samples", 20);
        c.put("train.kernel", "sparse");
        c.put("runtime.sampling", sampling);
        return c;
    }

    private Rbm train(Path data, Path init, String sampling, Path root, int killAfterSaves) throws Exception {
        RbmTrainStage stage = new RbmTrainStage("train", "load-data", "prune-1");
        TestStageContext context = new TestStageContext(stage, "train", config(sampling), root.resolve("work"))
                .input("load-data", data).input("prune-1", init);
        CheckpointStore store = new DirectoryCheckpointStore(root.resolve("checkpoints"), 2, 3, 0, Clock.systemUTC(),
                w -> { });
        context.checkpointStore(killAfterSaves <= 0 ? store : new KillingCheckpointStore(store, killAfterSaves));
        return RbmFiles.read(context.run(stage));
    }

    @Test
    void counterSamplingStageResumesBitIdenticallyAtAnyThreadCount() throws Exception {
        int before = Numerics.threads();
        try {
            Path data = StageFixtures.loadData(dir, 200, 40);
            Path init = TestRbms.initStep(dir, data, 6, 7);
            Numerics.setThreads(2);
            Rbm whole = train(data, init, "counter", dir.resolve("whole"), 0);
            assertThrows(KillingCheckpointStore.Killed.class, () -> train(data, init, "counter", dir.resolve("killed"), 2));
            Rbm resumed = train(data, init, "counter", dir.resolve("killed"), 0);
            assertSameModel(whole, resumed, "after kill and resume");
            Numerics.setThreads(1);
            assertSameModel(whole, train(data, init, "counter", dir.resolve("one-thread"), 0), "at 1 thread");
            Rbm sequential = train(data, init, "sequential", dir.resolve("sequential"), 0);
            assertFalse(Arrays.equals(whole.w, sequential.w), "counter sampling trained the sequential model");
        } finally {
            Numerics.setThreads(before);
        }
    }

    private static void assertSameModel(Rbm x, Rbm y, String where) {
        assertArrayEquals(x.w, y.w, "w " + where);
        assertArrayEquals(x.a, y.a, "a " + where);
        assertArrayEquals(x.b, y.b, "b " + where);
    }
}
