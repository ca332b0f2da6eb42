package org.prunelab.stages.families.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.kernel.MaskedDenseKernel;
import org.prunelab.stages.kernel.MaskedDenseKernels;
import org.prunelab.stages.prune.Masks;

class RbmTrainerTest {
    private static final int NV = 20, NH = 15;

    private static TrainingSettings settings(String algorithm, int k) {
        return new TrainingSettings(algorithm, k, 0.05, 0.5, 0.9, 2, 1e-3, 10, 10);
    }

    /** Runs `updates` minibatch updates over `data` (n rows) with per-(seed, epoch, batch) streams. */
    private static RbmTrainer.State train(Rbm start, TrainingSettings s, MaskedDenseKernel kernel, double[] data, int n,
            int updates, long seed) {
        RbmTrainer trainer = new RbmTrainer(s, kernel);
        RbmTrainer.State st = trainer.initialState(start.copy(), data, n, Seeds.stream(seed, -1));
        int batches = n / s.batchSize();
        for (int u = 0; u < updates; u++) {
            int epoch = u / batches, batch = u % batches;
            double[] rows = Arrays.copyOfRange(data, batch * s.batchSize() * start.nv, (batch + 1) * s.batchSize() * start.nv);
            trainer.update(st, rows, s.batchSize(), epoch, Seeds.stream(seed, epoch, batch));
        }
        return st;
    }

    private static Rbm maskedStart(double sparsity, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] means = new double[NV];
        Arrays.fill(means, 0.4);
        Rbm dense = Rbm.initialise(NV, NH, means, 0.1, rng);
        return dense.withMask(Masks.random(NV * NH, sparsity, rng));
    }

    @Test
    void maskedWeightsAndVelocitiesStayExactlyZero() {
        double[] data = TestRbms.binary(100, NV, 0.4, 7);
        for (String alg : new String[] {"cd", "pcd"}) {
            int k = alg.equals("cd") ? 1 : 5;
            Rbm start = maskedStart(0.7, 3);
            for (MaskedDenseKernel kernel : new MaskedDenseKernel[] {MaskedDenseKernels.dense(), MaskedDenseKernels.sparse(start)}) {
                RbmTrainer.State st = train(start, settings(alg, k), kernel, data, 100, 60, 99);
                Rbm r = st.rbm;
                int kept = 0, moved = 0;
                for (int j = 0; j < r.w.length; j++) {
                    if (r.mask[j] == 0) {
                        assertEquals(0L, Double.doubleToRawLongBits(r.w[j]), alg + "/" + kernel.name() + " w[" + j + "]");
                        assertEquals(0L, Double.doubleToRawLongBits(st.velW[j]), alg + "/" + kernel.name() + " velW[" + j + "]");
                    } else {
                        kept++;
                        if (r.w[j] != start.w[j]) {
                            moved++;
                        }
                    }
                }
                assertEquals(start.connections(), kept);
                assertEquals(kept, moved, "every kept weight is trained");
                assertFalse(Arrays.equals(start.a, r.a), "visible biases change");
                assertFalse(Arrays.equals(start.b, r.b), "hidden biases change");
                assertArrayEquals(start.mask, r.mask);
            }
        }
    }

    @Test
    void sameSeedIsBitIdenticalAndDifferentSeedDiffers() {
        double[] data = TestRbms.binary(100, NV, 0.4, 8);
        for (String alg : new String[] {"cd", "pcd"}) {
            Rbm start = maskedStart(0.5, 4);
            RbmTrainer.State x = train(start, settings(alg, 3), MaskedDenseKernels.sparse(start), data, 100, 40, 123);
            RbmTrainer.State y = train(start, settings(alg, 3), MaskedDenseKernels.sparse(start), data, 100, 40, 123);
            RbmTrainer.State z = train(start, settings(alg, 3), MaskedDenseKernels.sparse(start), data, 100, 40, 124);
            assertArrayEquals(x.rbm.w, y.rbm.w, 0.0);
            assertArrayEquals(x.rbm.a, y.rbm.a, 0.0);
            assertArrayEquals(x.rbm.b, y.rbm.b, 0.0);
            assertArrayEquals(x.velW, y.velW, 0.0);
            assertArrayEquals(x.chains, y.chains, 0.0);
            assertTrue(Arrays.equals(x.rbm.w, y.rbm.w), "bit-identical (Arrays.equals compares raw bits)");
            assertFalse(Arrays.equals(x.rbm.w, z.rbm.w), "a different seed gives a different trajectory");
        }
    }

    @Test
    void denseAndSparseKernelsTrainTheSameModel() {
        // Same random stream, kernels differing only in summation order: trajectories stay together.
        double[] data = TestRbms.binary(100, NV, 0.4, 9);
        Rbm start = maskedStart(0.5, 5);
        RbmTrainer.State d = train(start, settings("cd", 1), MaskedDenseKernels.dense(), data, 100, 20, 7);
        RbmTrainer.State s = train(start, settings("cd", 1), MaskedDenseKernels.sparse(start), data, 100, 20, 7);
        assertArrayEquals(d.rbm.w, s.rbm.w, 1e-9);
        assertArrayEquals(d.rbm.b, s.rbm.b, 1e-9);
    }

    @Test
    void resumeFromCopiedStateContinuesTheSameTrajectory() {
        double[] data = TestRbms.binary(100, NV, 0.4, 10);
        Rbm start = maskedStart(0.3, 6);
        TrainingSettings s = settings("pcd", 2);
        RbmTrainer trainer = new RbmTrainer(s, MaskedDenseKernels.dense());
        RbmTrainer.State st = trainer.initialState(start.copy(), data, 100, Seeds.stream(1, -1));
        RbmTrainer.State snapshot = null;
        for (int u = 0; u < 20; u++) {
            if (u == 10) {
                snapshot = st.copy();
            }
            double[] rows = Arrays.copyOfRange(data, (u % 10) * 10 * NV, (u % 10 + 1) * 10 * NV);
            trainer.update(st, rows, 10, u / 10, Seeds.stream(1, u / 10, u % 10));
        }
        RbmTrainer resumed = new RbmTrainer(s, MaskedDenseKernels.dense());
        for (int u = 10; u < 20; u++) {
            double[] rows = Arrays.copyOfRange(data, (u % 10) * 10 * NV, (u % 10 + 1) * 10 * NV);
            resumed.update(snapshot, rows, 10, u / 10, Seeds.stream(1, u / 10, u % 10));
        }
        assertTrue(Arrays.equals(st.rbm.w, snapshot.rbm.w));
        assertTrue(Arrays.equals(st.chains, snapshot.chains));
        assertTrue(Arrays.equals(st.velB, snapshot.velB));
    }

    @Test
    void pcdChainsStartFromTrainingImages() {
        double[] data = TestRbms.binary(30, NV, 0.5, 11);
        TrainingSettings s = new TrainingSettings("pcd", 1, 0.01, 0.5, 0.9, 5, 0, 10, 17);
        RbmTrainer.State st = new RbmTrainer(s, MaskedDenseKernels.dense()).initialState(maskedStart(0, 1), data, 30, new SplittableRandom(2));
        assertEquals(17, st.chainCount());
        for (int c = 0; c < 17; c++) {
            double[] chain = Arrays.copyOfRange(st.chains, c * NV, (c + 1) * NV);
            boolean found = false;
            for (int r = 0; r < 30 && !found; r++) {
                found = Arrays.equals(chain, Arrays.copyOfRange(data, r * NV, (r + 1) * NV));
            }
            assertTrue(found, "chain " + c + " is a training image");
        }
        RbmTrainer.State cd = new RbmTrainer(settings("cd", 1), MaskedDenseKernels.dense()).initialState(maskedStart(0, 1), data, 30,
                new SplittableRandom(2));
        assertEquals(0, cd.chains.length);
    }

    @Test
    void momentumSwitchesAtTheConfiguredEpoch() {
        TrainingSettings s = new TrainingSettings("pcd", 10, 0.01, 0.5, 0.9, 5, 1e-4, 100, 100);
        assertEquals(0.5, s.momentum(4));
        assertEquals(0.9, s.momentum(5));
        assertThrows(IllegalArgumentException.class, () -> new TrainingSettings("adam", 1, 0.01, 0.5, 0.9, 5, 0, 10, 10));
    }

    @Test
    void cdOneUpdatesFollowTheFormulaOfSpecSection4() {
        // A naive re-implementation that draws the same uniforms in the same order (h row-major,
        // then v row-major) must reproduce two CD-1 updates, across the momentum switch.
        Rbm start = maskedStart(0.5, 12);
        int n = 10;
        TrainingSettings s = new TrainingSettings("cd", 1, 0.1, 0.5, 0.9, 1, 0.01, n, 0);
        for (MaskedDenseKernel kernel : new MaskedDenseKernel[] {MaskedDenseKernels.dense(), MaskedDenseKernels.sparse(start)}) {
            RbmTrainer t = new RbmTrainer(s, kernel);
            double[] data = TestRbms.binary(n, NV, 0.5, 13);
            RbmTrainer.State st = t.initialState(start.copy(), data, n, new SplittableRandom(1));
            double[] w = start.w.clone(), a = start.a.clone(), b = start.b.clone();
            double[] vw = new double[w.length], va = new double[NV], vb = new double[NH];
            for (int epoch = 0; epoch < 2; epoch++) {
                t.update(st, data, n, epoch, new SplittableRandom(100 + epoch));
                naiveCd1(start.mask, w, a, b, vw, va, vb, data, n, s.momentum(epoch), s.learningRate(), s.weightDecay(),
                        new SplittableRandom(100 + epoch));
            }
            assertArrayEquals(w, st.rbm.w, 1e-12, kernel.name());
            // The trainer keeps descent velocities (core.Optimizers' one sign convention): the
            // negation of the guide's ascent velocities that the naive version keeps.
            assertArrayEquals(negated(vw), st.velW, 1e-12, kernel.name());
            assertArrayEquals(a, st.rbm.a, 1e-12, kernel.name());
            assertArrayEquals(b, st.rbm.b, 1e-12, kernel.name());
            assertArrayEquals(negated(vb), st.velB, 1e-12, kernel.name());
        }
    }

    private static double[] negated(double[] x) {
        double[] y = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            y[j] = -x[j];
        }
        return y;
    }

    private static double sig(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    private static void naiveCd1(byte[] mask, double[] w, double[] a, double[] b, double[] vw, double[] va, double[] vb,
            double[] v, int n, double mom, double lr, double wd, SplittableRandom rng) {
        double[][] ph0 = new double[n][NH], hs = new double[n][NH], vs = new double[n][NV], ph1 = new double[n][NH];
        for (int r = 0; r < n; r++) {
            for (int mu = 0; mu < NH; mu++) {
                double x = b[mu];
                for (int i = 0; i < NV; i++) {
                    x += v[r * NV + i] * w[i * NH + mu];
                }
                ph0[r][mu] = sig(x);
            }
        }
        for (int r = 0; r < n; r++) {
            for (int mu = 0; mu < NH; mu++) {
                hs[r][mu] = rng.nextDouble() < ph0[r][mu] ? 1 : 0;
            }
        }
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < NV; i++) {
                double x = a[i];
                for (int mu = 0; mu < NH; mu++) {
                    x += hs[r][mu] * w[i * NH + mu];
                }
                vs[r][i] = rng.nextDouble() < sig(x) ? 1 : 0;
            }
        }
        for (int r = 0; r < n; r++) {
            for (int mu = 0; mu < NH; mu++) {
                double x = b[mu];
                for (int i = 0; i < NV; i++) {
                    x += vs[r][i] * w[i * NH + mu];
                }
                ph1[r][mu] = sig(x);
            }
        }
        for (int i = 0; i < NV; i++) {
            for (int mu = 0; mu < NH; mu++) {
                int j = i * NH + mu;
                double g = 0;
                for (int r = 0; r < n; r++) {
                    g += (v[r * NV + i] * ph0[r][mu] - vs[r][i] * ph1[r][mu]) / n;
                }
                vw[j] = mask[j] * (mom * vw[j] + lr * (g - wd * w[j]));
                w[j] = mask[j] * (w[j] + vw[j]);
            }
        }
        for (int i = 0; i < NV; i++) {
            double g = 0;
            for (int r = 0; r < n; r++) {
                g += (v[r * NV + i] - vs[r][i]) / n;
            }
            va[i] = mom * va[i] + lr * g;
            a[i] += va[i];
        }
        for (int mu = 0; mu < NH; mu++) {
            double g = 0;
            for (int r = 0; r < n; r++) {
                g += (ph0[r][mu] - ph1[r][mu]) / n;
            }
            vb[mu] = mom * vb[mu] + lr * g;
            b[mu] += vb[mu];
        }
    }

    @Test
    void pcdTrainingIncreasesExactLogLikelihood() {
        // Two 16-pixel prototypes with 5% bit-flip noise: a mixture the RBM can model well.
        int nv = 16, nh = 8, n = 200;
        SplittableRandom rng = new SplittableRandom(2024);
        double[][] protos = {
            {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0},
            {0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0}};
        double[] data = new double[n * nv];
        double[] means = new double[nv];
        for (int r = 0; r < n; r++) {
            double[] p = protos[r % 2];
            for (int i = 0; i < nv; i++) {
                double x = rng.nextDouble() < 0.05 ? 1 - p[i] : p[i];
                data[r * nv + i] = x;
                means[i] += x / n;
            }
        }
        // std 0.1 rather than 0.01 only to break the hidden units' symmetry within 200 updates.
        Rbm rbm = Rbm.initialise(nv, nh, means, 0.1, rng);
        MaskedDenseKernel kernel = MaskedDenseKernels.dense();
        double before = RbmMetrics.logLikelihoodExact(rbm, kernel, data, n);
        // Momentum held at 0.5 and 100 chains: PCD with 0.9 momentum or few chains oscillates on this
        // bimodal target (chains stuck in one mode), which is PCD's nature, not what is tested here.
        TrainingSettings s = new TrainingSettings("pcd", 5, 0.05, 0.5, 0.5, 0, 1e-4, 20, 100);
        RbmTrainer trainer = new RbmTrainer(s, kernel);
        RbmTrainer.State st = trainer.initialState(rbm, data, n, Seeds.stream(5, -1));
        for (int u = 0; u < 200; u++) {
            int epoch = u / 10, batch = u % 10;
            double[] rows = Arrays.copyOfRange(data, batch * 20 * nv, (batch + 1) * 20 * nv);
            trainer.update(st, rows, 20, epoch, Seeds.stream(5, epoch, batch));
        }
        double after = RbmMetrics.logLikelihoodExact(st.rbm, kernel, data, n);
        // Independent-pixel start ≈ -7.1 nats; a good fit of the two noisy prototypes reaches ≈ -3.7.
        assertTrue(after > before + 2.0, "LL before " + before + ", after " + after);
        assertNotEquals(before, after);
    }
}
