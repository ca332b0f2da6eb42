package org.prunelab.stages.families.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.families.rbm.AnnealedImportanceSampling.Result;
import org.prunelab.stages.families.rbm.AnnealedImportanceSampling.Schedule;
import org.prunelab.stages.kernel.MaskedDenseKernel;
import org.prunelab.stages.kernel.MaskedDenseKernels;

class AnnealedImportanceSamplingTest {

    /** Base biases from the model's own samples, as training-data means would be for a trained model. */
    private static double[] baseFromSamples(Rbm rbm) {
        double[] s = RbmSampler.sample(rbm, MaskedDenseKernels.dense(), 400, 200, new SplittableRandom(99));
        return AnnealedImportanceSampling.baseBiases(AnnealedImportanceSampling.pixelMeans(s, 400, rbm.nv));
    }

    private static void assertAgrees(Rbm rbm, MaskedDenseKernel kernel, int runs, Schedule schedule, long seed, String label) {
        double exact = RbmMetrics.logPartitionExact(rbm);
        Result r = AnnealedImportanceSampling.estimate(rbm, kernel, baseFromSamples(rbm), runs, schedule,
                new SplittableRandom(seed));
        double err = r.logZ() - exact;
        System.out.printf(Locale.ROOT, "AIS %-32s log Z exact %.4f  AIS %.4f  err %+.4f  [%.4f, %.4f]  ESS %.1f/%d  var(log w) %.3g  base %.3f%n",
                label, exact, r.logZ(), err, r.logZLower(), r.logZUpper(), r.ess(), r.runs(), r.logWeightVariance(),
                r.logZBase());
        assertTrue(Math.abs(err) < 0.1 || (exact >= r.logZLower() && exact <= r.logZUpper()),
                label + ": AIS " + r.logZ() + " vs exact " + exact);
        // The problem must not be trivial: the base model alone is far off.
        assertTrue(Math.abs(r.logZBase() - exact) > 1.0, label + ": base log Z is already within 1 nat");
    }

    @Test
    void agreesWithExactLogPartitionDenseAndMasked() {
        Schedule k3000 = Schedule.scaledSalakhutdinovMurray(0.2);
        assertEquals(3000, k3000.intervals());
        for (long seed = 1; seed <= 2; seed++) {
            Rbm dense = TestRbms.random(40, 12, 1.2, 0.0, seed);
            assertAgrees(dense, MaskedDenseKernels.dense(), 100, k3000, 7, "dense 40x12 scale 1.2 seed " + seed);
            Rbm masked = TestRbms.random(40, 12, 2.0, 0.7, seed);
            assertAgrees(masked, MaskedDenseKernels.sparse(masked), 100, k3000, 7, "70% masked 40x12 scale 2.0 seed " + seed);
        }
    }

    @Test
    void defaultScheduleOnATinyModel() {
        Schedule sm = Schedule.salakhutdinovMurray();
        assertEquals(15000, sm.intervals());
        double[] b = sm.betas();
        assertEquals(0.0, b[0]);
        assertEquals(0.5, b[1000]);
        assertEquals(0.9, b[5000]);
        assertEquals(1.0, b[15000]);
        Rbm rbm = TestRbms.random(20, 8, 2.0, 0.3, 5);
        assertAgrees(rbm, MaskedDenseKernels.dense(), 100, sm, 3, "default schedule 20x8 30% masked");
    }

    @Test
    void deterministicForASeedAndKernelIndependent() {
        Rbm rbm = TestRbms.random(20, 6, 1.0, 0.5, 8);
        double[] base = baseFromSamples(rbm);
        Schedule s = Schedule.linear(300);
        Result x = AnnealedImportanceSampling.estimate(rbm, MaskedDenseKernels.dense(), base, 20, s, new SplittableRandom(4));
        Result y = AnnealedImportanceSampling.estimate(rbm, MaskedDenseKernels.dense(), base, 20, s, new SplittableRandom(4));
        Result z = AnnealedImportanceSampling.estimate(rbm, MaskedDenseKernels.dense(), base, 20, s, new SplittableRandom(5));
        Result sp = AnnealedImportanceSampling.estimate(rbm, MaskedDenseKernels.sparse(rbm), base, 20, s, new SplittableRandom(4));
        assertArrayEquals(x.logWeights(), y.logWeights());
        assertEquals(x.logZ(), y.logZ());
        assertNotEquals(x.logZ(), z.logZ());
        // Different summation order in the kernels can change the last bits only.
        assertArrayEquals(x.logWeights(), sp.logWeights(), 1e-9);
    }

    @Test
    void baseModelOnlyIsExactWithAnyNumberOfRuns() {
        // W = 0 and a = a^A: every path distribution equals the base one up to the hidden biases,
        // log w is the same deterministic value for every run, and AIS is exact.
        int nv = 7, nh = 3;
        double[] a = {0.3, -1.0, 2.0, 0.0, -0.5, 1.5, -2.5};
        double[] bh = {0.4, -0.7, 1.1};
        Rbm rbm = new Rbm(nv, nh, new double[nv * nh], a.clone(), bh, new byte[nv * nh]);
        Result r = AnnealedImportanceSampling.estimate(rbm, MaskedDenseKernels.dense(), a, 5, Schedule.linear(10),
                new SplittableRandom(1));
        assertEquals(RbmMetrics.logPartitionExact(rbm), r.logZ(), 1e-12);
        assertEquals(5.0, r.ess(), 1e-12);
        assertEquals(0.0, r.logWeightVariance(), 1e-20);
    }

    @Test
    void diagnosticsFromKnownWeights() {
        double[] logW = {Math.log(1.0), Math.log(3.0)};
        Result r = AnnealedImportanceSampling.summarise(logW, 10.0, 4);
        assertEquals(10.0 + Math.log(2.0), r.logZ(), 1e-12);
        assertEquals(16.0 / 10.0, r.ess(), 1e-12);
        // std of {1,3} (n−1) = √2, standard error 1; bounds log(2 ± 3) -> lower undefined.
        assertEquals(10.0 + Math.log(5.0), r.logZUpper(), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, r.logZLower());
        double lv = Math.pow(Math.log(3.0) / 2, 2) * 2;
        assertEquals(lv, r.logWeightVariance(), 1e-12);
        assertEquals(10.0 - 4 * Math.log(2.0) + 4 * Math.log(2.0), AnnealedImportanceSampling.logZBase(new double[0], 0) + 10.0, 1e-12);
        assertEquals(2 * Math.log(2.0) + Math.log(2.0), AnnealedImportanceSampling.logZBase(new double[] {0.0}, 2), 1e-12);
    }

    @Test
    void schedulesAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new Schedule(new double[] {0.0, 0.6, 0.5, 1.0}));
        assertThrows(IllegalArgumentException.class, () -> new Schedule(new double[] {0.1, 1.0}));
        assertThrows(IllegalArgumentException.class, () -> new Schedule(new double[] {0.0, 0.9}));
        Schedule p = Schedule.piecewise(new double[] {0.5, 1.0}, new int[] {2, 5});
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0}, p.betas(), 1e-15);
    }
}
