package org.prunelab.stages.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.io.Checkpoint;

class EpochLoopTest {
    /** Records every update; its metric follows a given sequence, one value per epoch. */
    private static final class Recorder implements EpochLoop.Steps {
        final List<String> updates = new ArrayList<>();
        final double[] metric;

        Recorder(double... metric) {
            this.metric = metric;
        }

        @Override
        public int batches(int epoch) {
            return 3;
        }

        @Override
        public void update(int epoch, int batch) {
            updates.add(epoch + ":" + batch);
        }

        @Override
        public Map<String, Object> evaluate(int epoch) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", epoch);
            row.put("acc", metric[epoch - 1]);
            return row;
        }
    }

    @Test
    void runsEveryBatchOnceAndResumesMidEpoch() throws Exception {
        Recorder all = new Recorder(1, 2, 3);
        TrainingPosition end = new EpochLoop(3, List.of()).run(all, TrainingPosition.start());
        assertEquals(9, all.updates.size());
        assertEquals(new TrainingPosition(3, 0, 9, end.history()), end);
        assertEquals(3, end.history().size());

        Recorder resumed = new Recorder(1, 2, 3);
        TrainingPosition from = new TrainingPosition(1, 2, 5, end.history().subList(0, 1));
        TrainingPosition again = new EpochLoop(3, List.of()).run(resumed, from);
        assertEquals(List.of("1:2", "2:0", "2:1", "2:2"), resumed.updates);
        assertEquals(9, again.updates());
        assertEquals(end.history(), again.history());
    }

    /**
     * Issue 15, finding 1: the checkpoint written at an epoch's end must come after that epoch's
     * metrics were logged, whatever order the family listed its policies in (the recurrent families
     * and the toy family listed the checkpoint first, so a SIGKILL between the two lost the epoch's
     * points: the resumed run starts after that epoch and never logs them).
     */
    @Test
    void everyCheckpointComesAfterTheMetricsOfThePositionItCovers() throws Exception {
        List<Long> loggedSteps = new ArrayList<>();
        List<String> coveredAtSave = new ArrayList<>();
        org.prunelab.stages.io.CheckpointStore store = new org.prunelab.stages.io.CheckpointStore() {
            @Override public java.util.Optional<Checkpoint> latest() {
                return java.util.Optional.empty();
            }

            @Override public void save(Checkpoint checkpoint) {
                coveredAtSave.add(checkpoint.position() + ":" + loggedSteps);
            }

            @Override public boolean due(long position) {
                return false;
            }
        };
        TrainingState state = new TrainingState().add("w", new double[] {1}, 1);
        CheckpointPolicy checkpoints = new CheckpointPolicy(store, 0, state.snapshot(Map::of));
        MetricsPolicy metrics = new MetricsPolicy((key, value, step) -> loggedSteps.add(step), "");
        new EpochLoop(3, List.of(checkpoints, metrics)).run(new Recorder(1, 2, 3), TrainingPosition.start());
        assertEquals(List.of("3:[1]", "6:[1, 2]", "9:[1, 2, 3]"), coveredAtSave,
                "at each epoch-end checkpoint, that epoch's metric was already logged");
    }

    @Test
    void earlyStoppingStopsAfterPatienceEpochsWithoutImprovement() throws Exception {
        Recorder steps = new Recorder(0.5, 0.7, 0.69, 0.7, 0.9, 0.95);
        TrainingPosition end = new EpochLoop(6, List.of(new EarlyStopping("acc", true, 0.01, 2))).run(steps,
                TrainingPosition.start());
        assertEquals(4, end.epoch(), "0.69 and 0.70 do not beat 0.70 by 0.01: stop after epoch 4");
    }

    @Test
    void plateauRuleDecaysOncePerPlateau() throws Exception {
        List<Integer> decays = new ArrayList<>();
        Recorder steps = new Recorder(0.5, 0.5, 0.5, 0.5, 0.5, 0.8, 0.8);
        new EpochLoop(7, List.of(new PlateauRule("acc", true, 1e-9, 2, decays::add))).run(steps, TrainingPosition.start());
        assertEquals(List.of(3, 5), decays);
    }

    @Test
    void trainingStateRoundTripsAndRejectsAMismatchedCheckpoint() {
        double[] w = {1, 2, 3};
        byte[] mask = {1, 0, 1};
        TrainingState state = new TrainingState().add("w", w, 3).add("mask", mask, 3);
        TrainingPosition at = new TrainingPosition(2, 1, 7, List.of(Map.of("epoch", 1)));
        Checkpoint c = state.checkpoint(7, at, Map.of("lr", 0.5));
        w[0] = 9;
        mask[1] = 1;
        assertEquals(at, state.restore(c));
        assertArrayEquals(new double[] {1, 2, 3}, w);
        assertArrayEquals(new byte[] {1, 0, 1}, mask);
        assertEquals(0.5, c.state().get("lr"));

        TrainingState bigger = new TrainingState().add("w", new double[4], 4).add("mask", new byte[3], 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> bigger.restore(c));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TrainingState().add("w", w, 3).add("w", w, 3));
    }

    @Test
    void optimisersHoldPrunedEntriesAtExactlyZero() {
        double[] p = {1.0, 2.0};
        double[] v = {0.5, 0.5};
        Optimizers.sgd(p, new double[] {0.1, 0.1}, v, new byte[] {1, 0}, 0.9, 0.1);
        assertEquals(1.0 - 0.1 * (0.9 * 0.5 + 0.1), p[0], 0.0);
        assertEquals(0L, Double.doubleToRawLongBits(p[1]));
        assertEquals(0L, Double.doubleToRawLongBits(v[1]));

        double[] q = {1.0};
        double[] u = {0.0};
        Optimizers.sgdLrInVelocity(q, new double[] {0.2}, u, null, 0.5, 0.1, 0.01);
        assertEquals(1.0 - 0.1 * (0.2 + 0.01 * 1.0), q[0], 0.0);

        double[] a = {1.0};
        double[] m = {0.0};
        double[] s = {0.0};
        Optimizers.adam(a, new double[] {0.3}, m, s, null, Optimizers.AdamStep.at(1, 0.01, 0.9, 0.999, 1e-8));
        // First Adam step: bias-corrected m/√s = sign(g), so p moves by lr (up to ε).
        assertEquals(1.0 - 0.01, a[0], 1e-9);
    }
}
