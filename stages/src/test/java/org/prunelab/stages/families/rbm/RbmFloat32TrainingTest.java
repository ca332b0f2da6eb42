package org.prunelab.stages.families.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.kernel.MaskedDenseKernel;
import org.prunelab.stages.kernel.PrecisionKernels;
import org.prunelab.stages.linalg.Numerics;
import org.prunelab.stages.linalg.Precision;
import org.prunelab.stages.prune.Masks;

/**
 * {@code runtime.precision: float32} on a short RBM training (CD-1 on a dense mask, PCD-2 on a 50 %
 * pruned one, 2 threads): it stays close to the fp64 training from the same start and seeds, is
 * bit-identical on a re-run and after a resume from a copied state in a new trainer (a new kernel,
 * so a new float copy of W), and pruned weights and velocities stay exactly 0.
 *
 * <p>Tolerance against fp64: 1e-6 absolute on every weight and bias after 12 updates at learning
 * rate 0.05 (weights ~0.1). Each product differs from fp64 by at most (k + 3)·2⁻²⁴ ≈ 1.5e-5 of the
 * sum of its terms' magnitudes (k = 240), typically ~√k·2⁻²⁴ ≈ 1e-6 of it; a weight gradient is a
 * mean of n = 50 products in [0, 1] (~0.1), so its float error is ~√n·2⁻²⁴·0.1 ≈ 4e-8, which lr
 * turns into ~2e-9 per update (measured: largest difference 1.4e-8–1.8e-8 after 12 updates). The tolerance sits 50× above that and 1,000× below the one
 * discrete effect: a Bernoulli draw whose uniform falls between the fp32 and fp64 probability flips
 * a sample (chance ~1e-7 per draw) and moves the weights it touches by up to lr/n = 1e-3. Such a
 * flip is legitimate in fp32 but would fail this test; these seeds have none, and a failure here
 * after a kernel change means the products got far less precise than float.
 */
class RbmFloat32TrainingTest {
    private static final int NV = 240, NH = 130, BATCH = 50, ROWS = 300, UPDATES = 12;
    private static final double TOL = 1e-6;

    @Test
    void float32TrainingIsCloseToFp64AndBitIdenticalOnRerunAndResume() {
        int before = Numerics.threads();
        try {
            Numerics.setThreads(2);
            double[] data = TestRbms.binary(ROWS, NV, 0.15, 11);
            check(data, 0.0, "cd", "cd s=0");
            check(data, 0.5, "pcd", "pcd s=0.5");
        } finally {
            Numerics.setThreads(before);
        }
    }

    private static void check(double[] data, double sparsity, String algorithm, String where) {
        SplittableRandom rng = new SplittableRandom(5);
        double[] means = new double[NV];
        Arrays.fill(means, 0.2);
        Rbm start = Rbm.initialise(NV, NH, means, 0.1, rng).withMask(Masks.random(NV * NH, sparsity, rng));
        TrainingSettings s = new TrainingSettings(algorithm, algorithm.equals("pcd") ? 2 : 1, 0.05, 0.5, 0.9, 1, 1e-3,
                BATCH, BATCH);
        RbmTrainer.State fp64 = run(start, s, data, 0, UPDATES, null, Precision.FLOAT64);
        RbmTrainer.State fp32 = run(start, s, data, 0, UPDATES, null, Precision.FLOAT32);
        double largest = 0.0;
        for (int j = 0; j < fp64.rbm.w.length; j++) {
            largest = Math.max(largest, Math.abs(fp64.rbm.w[j] - fp32.rbm.w[j]));
        }
        assertTrue(largest <= TOL, where + ": largest |w32 - w64| = " + largest + " > " + TOL);
        assertTrue(largest > 0.0, where + ": float32 gave fp64's bits: the products did not run in single precision");
        for (int i = 0; i < NV; i++) {
            assertEquals(fp64.rbm.a[i], fp32.rbm.a[i], TOL, where + ": visible bias " + i);
        }
        for (int k = 0; k < NH; k++) {
            assertEquals(fp64.rbm.b[k], fp32.rbm.b[k], TOL, where + ": hidden bias " + k);
        }
        assertSame(fp32, run(start, s, data, 0, UPDATES, null, Precision.FLOAT32), where + ": re-run");
        RbmTrainer.State half = run(start, s, data, 0, 7, null, Precision.FLOAT32);
        assertSame(fp32, run(start, s, data, 7, UPDATES, half.copy(), Precision.FLOAT32), where + ": resumed at 7");
        for (int j = 0; j < fp32.rbm.w.length; j++) {
            if (fp32.rbm.mask[j] == 0) {
                assertEquals(0L, Double.doubleToRawLongBits(fp32.rbm.w[j]), where + ": pruned w[" + j + "]");
                assertEquals(0L, Double.doubleToRawLongBits(fp32.velW[j]), where + ": pruned velW[" + j + "]");
            }
        }
    }

    /** Updates [from, to) in a fresh trainer and dense kernel of the given precision. */
    private static RbmTrainer.State run(Rbm start, TrainingSettings s, double[] data, int from, int to,
            RbmTrainer.State state, Precision precision) {
        Rbm model = state == null ? start.copy() : state.rbm;
        MaskedDenseKernel kernel = PrecisionKernels.masked(model, "dense", precision);
        assertEquals(precision == Precision.FLOAT32 ? "dense-fp32" : "dense", kernel.name());
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
