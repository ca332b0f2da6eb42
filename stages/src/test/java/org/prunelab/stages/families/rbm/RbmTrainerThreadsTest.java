package org.prunelab.stages.families.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.kernel.MaskedDenseKernel;
import org.prunelab.stages.kernel.MaskedDenseKernels;
import org.prunelab.stages.linalg.Numerics;
import org.prunelab.stages.prune.Masks;

/**
 * runtime.threads = 2: the same training twice gives the same bits, a resume from a copied state in
 * a new trainer (as after a kill) continues bit for bit, and pruned weights stay exactly 0 — for the
 * dense (GEMM and binary gather) and the sparse kernel, CD-1 and PCD-1. Shapes are large enough for
 * the work to be split between the threads.
 */
class RbmTrainerThreadsTest {
    private static final int NV = 240, NH = 130, BATCH = 50, ROWS = 300;

    @Test
    void twoThreadsAreBitIdenticalAndResumeExactly() {
        int before = Numerics.threads();
        try {
            Numerics.setThreads(2);
            for (double pixelDensity : new double[] {0.03, 0.4}) { // gather path / GEMM path for the data
                double[] data = TestRbms.binary(ROWS, NV, pixelDensity, 11);
                for (double sparsity : new double[] {0.0, 0.95}) {
                    for (String algorithm : new String[] {"cd", "pcd"}) {
                        String where = algorithm + " s=" + sparsity + " pixels=" + pixelDensity;
                        check(data, sparsity, algorithm, where);
                    }
                }
            }
        } finally {
            Numerics.setThreads(before);
        }
    }

    private static void check(double[] data, double sparsity, String algorithm, String where) {
        SplittableRandom rng = new SplittableRandom(5);
        double[] means = new double[NV];
        Arrays.fill(means, 0.2);
        Rbm start = Rbm.initialise(NV, NH, means, 0.1, rng).withMask(Masks.random(NV * NH, sparsity, rng));
        TrainingSettings s = new TrainingSettings(algorithm, 1, 0.05, 0.5, 0.9, 1, 1e-3, BATCH, BATCH);
        RbmTrainer.State a = run(start, s, data, 0, 8, null);
        RbmTrainer.State b = run(start, s, data, 0, 8, null);
        assertSame(a, b, where + ": two runs");
        RbmTrainer.State half = run(start, s, data, 0, 5, null);
        RbmTrainer.State resumed = run(start, s, data, 5, 8, half.copy());
        assertSame(a, resumed, where + ": resumed at update 5 (crossing the epoch boundary at 6)");
        assertFalse(Arrays.equals(start.w, a.rbm.w), where + ": training changed nothing");
        for (int j = 0; j < a.rbm.w.length; j++) {
            if (a.rbm.mask[j] == 0) {
                assertEquals(0L, Double.doubleToRawLongBits(a.rbm.w[j]), where + ": pruned w[" + j + "]");
                assertEquals(0L, Double.doubleToRawLongBits(a.velW[j]), where + ": pruned velW[" + j + "]");
            }
        }
    }

    /** Updates [from, to) in a fresh trainer and kernel, from a fresh state or the given one. */
    private static RbmTrainer.State run(Rbm start, TrainingSettings s, double[] data, int from, int to,
            RbmTrainer.State state) {
        Rbm model = state == null ? start.copy() : state.rbm;
        MaskedDenseKernel kernel = model.sparsity() >= 0.9 ? MaskedDenseKernels.sparse(model) : MaskedDenseKernels.dense();
        RbmTrainer trainer = new RbmTrainer(s, kernel);
        RbmTrainer.State st = state == null ? trainer.initialState(model, data, ROWS, Seeds.stream(3, -1)) : state;
        int batches = ROWS / BATCH;
        for (int u = from; u < to; u++) {
            int epoch = u / batches, batch = u % batches;
            double[] rows = Arrays.copyOfRange(data, batch * BATCH * NV, (batch + 1) * BATCH * NV);
            trainer.update(st, rows, BATCH, epoch, Seeds.stream(3, epoch, batch));
        }
        return st;
    }

    private static void assertSame(RbmTrainer.State x, RbmTrainer.State y, String where) {
        assertArrayEquals(x.rbm.w, y.rbm.w, where + " w");
        assertArrayEquals(x.rbm.a, y.rbm.a, where + " a");
        assertArrayEquals(x.rbm.b, y.rbm.b, where + " b");
        assertArrayEquals(x.velW, y.velW, where + " velW");
        assertArrayEquals(x.chains, y.chains, where + " chains");
    }
}
