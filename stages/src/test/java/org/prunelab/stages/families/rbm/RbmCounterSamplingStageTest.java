package org.prunelab.stages.families.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.stages.KillingCheckpointStore;
import org.prunelab.stages.data.StageFixtures;
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

    private static Rbm train(Path data, Path init, String sampling, Path root, int killAfterSaves) throws Exception {
        Map<String, Object> settings = Map.of("train.kernel", "sparse", "train.k", 2, "runtime.sampling", sampling);
        return TrainStageRuns.train(data, init, TrainStageRuns.config(settings), root, killAfterSaves);
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
