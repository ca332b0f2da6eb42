package org.prunelab.stages.families.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.kernel.MaskedDenseKernel;
import org.prunelab.stages.kernel.MaskedDenseKernels;
import org.prunelab.stages.prune.Masks;

class KernelAgreementTest {
    private static final int NV = 37, NH = 23, N = 11;

    /** |x − y| ≤ 1e-12 · (Σ|terms| + 1): relative to the magnitude of what was summed. */
    private static void close(double[] expected, double[] actual, double[] scale, String what) {
        for (int j = 0; j < expected.length; j++) {
            double tol = 1e-12 * (scale[j] + 1.0);
            assertTrue(Math.abs(expected[j] - actual[j]) <= tol,
                    what + "[" + j + "]: " + expected[j] + " vs " + actual[j]);
        }
    }

    @Test
    void denseAndSparseAgreeOnAllThreeOps() {
        for (double sparsity : new double[] {0.0, 0.5, 0.95}) {
            Rbm rbm = TestRbms.random(NV, NH, 1.0, sparsity, 17);
            MaskedDenseKernel dense = MaskedDenseKernels.dense();
            MaskedDenseKernel sparse = MaskedDenseKernels.sparse(rbm);
            // Real-valued and binary inputs: the sparse kernel skips exact zeros, so test both.
            for (int variant = 0; variant < 2; variant++) {
                double[] v = variant == 0 ? TestRbms.uniform(N, NV, 1) : TestRbms.binary(N, NV, 0.3, 2);
                double[] h = variant == 0 ? TestRbms.uniform(N, NH, 3) : TestRbms.binary(N, NH, 0.4, 3);
                double[] absW = Arrays.stream(rbm.w).map(Math::abs).toArray();

                double[] hd = new double[N * NH], hs = new double[N * NH];
                dense.forward(rbm, rbm.b, v, N, hd);
                sparse.forward(rbm, rbm.b, v, N, hs);
                close(hd, hs, naiveHidden(rbm, v, absW), "hidden s=" + sparsity);
                close(naiveHidden(rbm, v, rbm.w), hd, naiveHidden(rbm, v, absW), "hidden vs naive");

                double[] vd = new double[N * NV], vs = new double[N * NV];
                dense.transposed(rbm, rbm.a, h, N, vd);
                sparse.transposed(rbm, rbm.a, h, N, vs);
                close(vd, vs, naiveVisible(rbm, h, absW), "visible s=" + sparsity);
                close(naiveVisible(rbm, h, rbm.w), vd, naiveVisible(rbm, h, absW), "visible vs naive");

                // Start g from non-zero values: masked entries must be left untouched, bit for bit.
                double[] g0 = TestRbms.uniform(1, NV * NH, 4);
                double[] gd = g0.clone(), gs = g0.clone();
                dense.outerGradient(rbm, v, h, N, -0.37, gd);
                sparse.outerGradient(rbm, v, h, N, -0.37, gs);
                double[] expected = g0.clone();
                double[] scale = new double[NV * NH];
                for (int i = 0; i < NV; i++) {
                    for (int mu = 0; mu < NH; mu++) {
                        int j = i * NH + mu;
                        double s = 0.0, a = 0.0;
                        for (int r = 0; r < N; r++) {
                            s += v[r * NV + i] * h[r * NH + mu];
                            a += Math.abs(v[r * NV + i] * h[r * NH + mu]);
                        }
                        scale[j] = Math.abs(g0[j]) + 0.37 * a;
                        if (rbm.mask[j] != 0) {
                            expected[j] += -0.37 * s;
                        }
                    }
                }
                close(expected, gd, scale, "gradient dense s=" + sparsity);
                close(expected, gs, scale, "gradient sparse s=" + sparsity);
                for (int j = 0; j < g0.length; j++) {
                    if (rbm.mask[j] == 0) {
                        assertEquals(Double.doubleToRawLongBits(g0[j]), Double.doubleToRawLongBits(gd[j]));
                        assertEquals(Double.doubleToRawLongBits(g0[j]), Double.doubleToRawLongBits(gs[j]));
                    }
                }
            }
        }
    }

    @Test
    void eachKernelIsDeterministic() {
        Rbm rbm = TestRbms.random(NV, NH, 1.0, 0.5, 8);
        double[] v = TestRbms.uniform(N, NV, 9);
        for (MaskedDenseKernel k : new MaskedDenseKernel[] {MaskedDenseKernels.dense(), MaskedDenseKernels.sparse(rbm)}) {
            double[] x = new double[N * NH], y = new double[N * NH];
            k.forward(rbm, rbm.b, v, N, x);
            k.forward(rbm, rbm.b, v, N, y);
            assertTrue(Arrays.equals(x, y), k.name());
        }
    }

    @Test
    void sparseKernelIsBoundToItsMaskAndFollowsWeightUpdates() {
        Rbm rbm = TestRbms.random(NV, NH, 1.0, 0.5, 10);
        MaskedDenseKernel sparse = MaskedDenseKernels.sparse(rbm);
        double[] v = TestRbms.binary(N, NV, 0.5, 11);
        double[] out = new double[N * NH];
        // Same mask content in another array (a copy) is accepted.
        sparse.forward(rbm.copy(), rbm.copy().b, v, N, out);
        // Weights changed in place are picked up (values are read at call time).
        for (int j = 0; j < rbm.w.length; j++) {
            rbm.w[j] *= 2.0;
        }
        double[] d = new double[N * NH];
        sparse.forward(rbm, rbm.b, v, N, out);
        MaskedDenseKernels.dense().forward(rbm, rbm.b, v, N, d);
        for (int j = 0; j < d.length; j++) {
            assertEquals(d[j], out[j], 1e-12 * (1 + Math.abs(d[j])));
        }
        Rbm other = rbm.withMask(Masks.magnitude(rbm.w, rbm.mask, 0.8));
        assertThrows(IllegalArgumentException.class, () -> sparse.forward(other, other.b, v, N, out));
    }

    @Test
    void autoChoosesByThreshold() {
        Rbm dense = TestRbms.random(NV, NH, 1.0, 0.0, 12);
        Rbm sparse = TestRbms.random(NV, NH, 1.0, 0.97, 12); // above AUTO_SPARSE_THRESHOLD (0.9)
        assertEquals("dense", MaskedDenseKernels.forLayer(dense, "auto").name());
        assertEquals("sparse", MaskedDenseKernels.forLayer(sparse, "auto").name());
        assertEquals("sparse", MaskedDenseKernels.forLayer(dense, "sparse").name());
        assertEquals("dense", MaskedDenseKernels.forLayer(sparse, "dense").name());
        assertThrows(IllegalArgumentException.class, () -> MaskedDenseKernels.forLayer(dense, "gpu"));
    }

    @Test
    void shortArraysAreRejected() {
        Rbm rbm = TestRbms.random(NV, NH, 1.0, 0.0, 13);
        for (MaskedDenseKernel k : new MaskedDenseKernel[] {MaskedDenseKernels.dense(), MaskedDenseKernels.sparse(rbm)}) {
            assertThrows(IllegalArgumentException.class, () -> k.forward(rbm, rbm.b, new double[NV], 2, new double[2 * NH]));
            assertThrows(IllegalArgumentException.class, () -> k.transposed(rbm, rbm.a, new double[2 * NH], 2, new double[NV]));
        }
    }

    private static double[] naiveHidden(Rbm rbm, double[] v, double[] w) {
        double[] out = new double[N * NH];
        boolean abs = w != rbm.w;
        for (int r = 0; r < N; r++) {
            for (int mu = 0; mu < NH; mu++) {
                double s = abs ? Math.abs(rbm.b[mu]) : rbm.b[mu];
                for (int i = 0; i < NV; i++) {
                    s += (abs ? Math.abs(v[r * NV + i]) : v[r * NV + i]) * w[i * NH + mu];
                }
                out[r * NH + mu] = s;
            }
        }
        return out;
    }

    private static double[] naiveVisible(Rbm rbm, double[] h, double[] w) {
        double[] out = new double[N * NV];
        boolean abs = w != rbm.w;
        for (int r = 0; r < N; r++) {
            for (int i = 0; i < NV; i++) {
                double s = abs ? Math.abs(rbm.a[i]) : rbm.a[i];
                for (int mu = 0; mu < NH; mu++) {
                    s += (abs ? Math.abs(h[r * NH + mu]) : h[r * NH + mu]) * w[i * NH + mu];
                }
                out[r * NV + i] = s;
            }
        }
        return out;
    }
}
