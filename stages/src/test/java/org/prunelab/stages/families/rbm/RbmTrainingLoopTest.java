package org.prunelab.stages.families.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.prunelab.stages.MetricSink;
import org.prunelab.stages.Progress;
import org.prunelab.stages.io.Checkpoint;
import org.prunelab.stages.io.CheckpointStore;
import org.prunelab.stages.io.DirectoryCheckpointStore;
import org.prunelab.stages.kernel.MaskedDenseKernels;

class RbmTrainingLoopTest {
    private static final int NV = 12, NH = 7, N = 60;

    @TempDir
    Path dir;

    private static TrainingSettings settings(String algorithm, double lrFinal, int epochs) {
        return new TrainingSettings(algorithm, 2, 0.05, 0.5, 0.9, 1, 1e-3, 10, algorithm.equals("pcd") ? 10 : 0,
                lrFinal, epochs);
    }

    private RbmTrainingLoop.Run train(String algorithm, CheckpointStore store, int epochs) throws Exception {
        Rbm start = TestRbms.random(NV, NH, 0.1, 0.6, 5);
        RbmTrainer trainer = new RbmTrainer(settings(algorithm, 0.05, epochs), MaskedDenseKernels.forLayer(start, "auto"));
        RbmTrainingLoop loop = new RbmTrainingLoop(trainer, 99L, epochs, 20, 16);
        double[] data = TestRbms.binary(N, NV, 0.3, 6);
        Optional<Checkpoint> c = store.latest();
        RbmTrainingLoop.Run run = c.isPresent() ? RbmTrainingLoop.Run.fromCheckpoint(c.get(), NV, NH)
                : RbmTrainingLoop.Run.start(loop.freshState(start, data, N, "data"));
        return loop.train(run, data, N, data, N, store, 0, Map.of(), MetricSink.DISCARD, "",
                Progress.SILENT.start("t", 1, 0));
    }

    private DirectoryCheckpointStore store(String name) {
        return new DirectoryCheckpointStore(dir.resolve(name), 2, 1, 0, Clock.systemUTC(), w -> { });
    }

    @ParameterizedTest
    @ValueSource(strings = {"cd", "pcd"})
    void prunedWeightsAndTheirMomentumStayExactlyZero(String algorithm) throws Exception {
        RbmTrainingLoop.Run run = train(algorithm, store(algorithm), 4);
        Rbm rbm = run.state.rbm;
        int zeros = 0;
        for (int j = 0; j < rbm.mask.length; j++) {
            if (rbm.mask[j] == 0) {
                zeros++;
                assertEquals(0L, Double.doubleToRawLongBits(rbm.w[j]), "w[" + j + "]");
                assertEquals(0L, Double.doubleToRawLongBits(run.state.velW[j]), "velW[" + j + "]");
            }
        }
        assertEquals(Math.round(0.6 * NV * NH), zeros, "the mask itself is unchanged");
        assertEquals(4 * (N / 10), run.updates);
        assertEquals(4, run.history.size());
    }

    @Test
    void theExactLikelihoodIsScoredEveryExactEveryEpochsAndAtTheLast() throws Exception {
        Rbm start = TestRbms.random(NV, NH, 0.1, 0.6, 5);
        RbmTrainer trainer = new RbmTrainer(settings("pcd", 0.05, 7), MaskedDenseKernels.forLayer(start, "auto"));
        RbmTrainingLoop loop = new RbmTrainingLoop(trainer, 99L, 7, new RbmTrainingLoop.Monitoring(20, 16, 3),
                org.prunelab.stages.kernel.Sampling.SEQUENTIAL);
        double[] data = TestRbms.binary(N, NV, 0.3, 6);
        RbmTrainingLoop.Run run = loop.train(RbmTrainingLoop.Run.start(loop.freshState(start, data, N, "data")), data,
                N, data, N, store("every"), 0, Map.of(), MetricSink.DISCARD, "", Progress.SILENT.start("t", 1, 0));
        List<Integer> scored = new java.util.ArrayList<>();
        for (Map<String, Object> row : run.history) {
            if (row.containsKey("exact_ll")) {
                scored.add(((Number) row.get("epoch")).intValue());
            }
        }
        assertEquals(List.of(3, 6, 7), scored);
        // with the default cadence every epoch has it, and its value is the same computation
        RbmTrainingLoop.Run every = train("pcd", store("all"), 7);
        assertEquals(7, every.history.stream().filter(r -> r.containsKey("exact_ll")).count());
        assertEquals(every.history.get(2).get("exact_ll"), run.history.get(2).get("exact_ll"));
        assertThrows(IllegalArgumentException.class, () -> new RbmTrainingLoop.Monitoring(20, 16, 0));
    }

    @Test
    void resumesBitIdenticallyFromAMidEpochCheckpoint() throws Exception {
        Rbm reference = train("pcd", store("ref"), 3).state.rbm;
        DirectoryCheckpointStore inner = store("crash");
        CheckpointStore crashing = new CheckpointStore() {
            @Override public Optional<Checkpoint> latest() throws IOException {
                return inner.latest();
            }

            @Override public void save(Checkpoint checkpoint) throws IOException {
                inner.save(checkpoint);
                if (checkpoint.position() == 8) {
                    throw new IllegalStateException("simulated kill");
                }
            }

            @Override public boolean due(long position) {
                return inner.due(position);
            }
        };
        assertThrows(IllegalStateException.class, () -> train("pcd", crashing, 3));
        assertEquals(8, inner.latest().orElseThrow().position());
        Rbm resumed = train("pcd", inner, 3).state.rbm;
        assertArrayEquals(reference.w, resumed.w);
        assertArrayEquals(reference.a, resumed.a);
        assertArrayEquals(reference.b, resumed.b);
    }

    @Test
    void decayCanStartAtTheMomentumSwitch() {
        // 0.05 until epoch 2 (the switch), then linear to 0.01 at the last epoch (6 epochs: 0..5).
        TrainingSettings s = new TrainingSettings("cd", 2, 0.05, 0.5, 0.9, 2, 1e-3, 10, 0, 0.01, 6, 2);
        assertEquals(0.05, s.learningRate(0));
        assertEquals(0.05, s.learningRate(2));
        assertEquals(0.05 - 0.04 / 3, s.learningRate(3), 1e-15);
        assertEquals(0.01, s.learningRate(5), 1e-15);
        assertEquals(0.01, s.learningRate(9), 1e-15, "clamped after the last epoch");
        // A start at the last epoch leaves nothing to decay: constant.
        assertEquals(0.05, new TrainingSettings("cd", 2, 0.05, 0.5, 0.9, 2, 1e-3, 10, 0, 0.01, 6, 5).learningRate(5));
    }

    @Test
    void learningRateScheduleIsConstantByDefaultAndLinearOtherwise() {
        TrainingSettings constant = settings("cd", 0.05, 10);
        for (int e = 0; e < 12; e++) {
            assertEquals(Double.doubleToRawLongBits(0.05), Double.doubleToRawLongBits(constant.learningRate(e)));
        }
        TrainingSettings decay = settings("cd", 0.01, 5);
        assertEquals(0.05, decay.learningRate(0));
        assertEquals(0.04, decay.learningRate(1), 1e-15);
        assertEquals(0.03, decay.learningRate(2), 1e-15);
        assertEquals(0.01, decay.learningRate(4), 1e-15);
        assertEquals(0.01, decay.learningRate(7), 1e-15, "clamped after the last epoch");
        TrainingSettings old = new TrainingSettings("cd", 2, 0.05, 0.5, 0.9, 1, 1e-3, 10, 0);
        assertEquals(0.05, old.learningRate(3));
    }

    @Test
    void aDecayingScheduleChangesTheTrajectory() throws Exception {
        Rbm start = TestRbms.random(NV, NH, 0.1, 0.0, 5);
        double[] data = TestRbms.binary(N, NV, 0.3, 6);
        double[][] finals = new double[2][];
        double[] lrFinal = {0.05, 0.001};
        for (int t = 0; t < 2; t++) {
            RbmTrainer trainer = new RbmTrainer(settings("cd", lrFinal[t], 3), MaskedDenseKernels.forLayer(start, "dense"));
            RbmTrainingLoop loop = new RbmTrainingLoop(trainer, 1L, 3, 10, 16);
            RbmTrainingLoop.Run run = RbmTrainingLoop.Run.start(loop.freshState(start.copy(), data, N, "data"));
            finals[t] = loop.train(run, data, N, data, N, store("lr" + t), 0, Map.of(), MetricSink.DISCARD, "",
                    Progress.SILENT.start("t", 1, 0)).state.rbm.w;
        }
        assertNotEquals(java.util.Arrays.toString(finals[0]), java.util.Arrays.toString(finals[1]));
    }
}
