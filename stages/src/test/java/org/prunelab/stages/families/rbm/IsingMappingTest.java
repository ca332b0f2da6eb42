package org.prunelab.stages.families.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.stages.kernel.MaskedDenseKernels;

class IsingMappingTest {

    // ---- Gauss–Hermite nodes and weights ----

    /** Γ(k + ½) = ∫ x^{2k} e^{−x²} dx. */
    private static double evenMoment(int k) {
        double g = Math.sqrt(Math.PI);
        for (int m = 0; m < k; m++) {
            g *= m + 0.5;
        }
        return g;
    }

    @Test
    void gaussHermiteIntegratesPolynomialsExactly() {
        GaussHermite gh = GaussHermite.of(30);
        double[] x = gh.nodes(), w = gh.weights();
        double sum = 0;
        for (double v : w) {
            sum += v;
        }
        assertEquals(Math.sqrt(Math.PI), sum, 1e-14);
        // Exact up to degree 59: every even moment up to x^58 (relative), every odd one vanishes.
        for (int k = 0; k <= 29; k++) {
            double s = 0, odd = 0;
            for (int q = 0; q < 30; q++) {
                s += w[q] * Math.pow(x[q], 2 * k);
                odd += w[q] * Math.pow(x[q], 2 * k + 1);
            }
            assertEquals(1.0, s / evenMoment(k), 1e-11, "x^" + (2 * k));
            assertEquals(0.0, odd / evenMoment(k + 1), 1e-13, "x^" + (2 * k + 1));
        }
        assertEquals(Math.sqrt(Math.PI) / 2, moment(gh, 2), 1e-14, "x²");
        // E[cos(τZ)] = e^{−τ²/2}: a smooth non-polynomial check.
        double[] t = gh.standardNormalNodes(), wq = gh.standardNormalWeights();
        double c = 0;
        for (int q = 0; q < 30; q++) {
            c += wq[q] * Math.cos(1.3 * t[q]);
        }
        assertEquals(Math.exp(-1.3 * 1.3 / 2), c, 1e-13);
    }

    private static double moment(GaussHermite gh, int p) {
        double[] x = gh.nodes(), w = gh.weights();
        double s = 0;
        for (int q = 0; q < x.length; q++) {
            s += w[q] * Math.pow(x[q], p);
        }
        return s;
    }

    @Test
    void gaussHermiteMatchesGolubWelsch() {
        // Independent construction: eigen-decomposition of the Jacobi matrix (off-diagonal √(k/2)).
        for (int n : new int[] {1, 2, 5, 30, 31}) {
            DMatrixRMaj jac = new DMatrixRMaj(n, n);
            for (int k = 1; k < n; k++) {
                jac.set(k - 1, k, Math.sqrt(k / 2.0));
                jac.set(k, k - 1, Math.sqrt(k / 2.0));
            }
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
            assertTrue(eig.decompose(jac));
            double[][] pairs = new double[n][2];
            for (int q = 0; q < n; q++) {
                DMatrixRMaj v = eig.getEigenVector(q);
                double norm = 0;
                for (int r = 0; r < n; r++) {
                    norm += v.get(r) * v.get(r);
                }
                pairs[q][0] = eig.getEigenvalue(q).real;
                pairs[q][1] = Math.sqrt(Math.PI) * v.get(0) * v.get(0) / norm;
            }
            java.util.Arrays.sort(pairs, (p, r) -> Double.compare(p[0], r[0]));
            GaussHermite gh = GaussHermite.of(n);
            for (int q = 0; q < n; q++) {
                assertEquals(pairs[q][0], gh.nodes()[q], 1e-11, "node " + q + " of " + n);
                assertEquals(pairs[q][1], gh.weights()[q], 1e-11 * Math.max(1e-3, pairs[q][1]) + 1e-25, "weight " + q + " of " + n);
            }
        }
    }

    // ---- The mapping ----

    private static double[] spins(long bits, int n) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = (bits >>> i & 1) != 0 ? 1.0 : -1.0;
        }
        return s;
    }

    /**
     * Exact Walsh coefficients of −H(σ) = log p(v) + const, v = (σ+1)/2, from −F(v) over all 2^nv
     * states: index 0..nv−1 fields (σ_i), then J as nv x nv (σ_iσ_j).
     */
    private static double[][] walsh(Rbm rbm) {
        int nv = rbm.nv, states = 1 << nv;
        double[] v = new double[states * nv];
        for (int s = 0; s < states; s++) {
            for (int i = 0; i < nv; i++) {
                v[s * nv + i] = (s >>> i) & 1;
            }
        }
        double[] f = RbmMetrics.freeEnergies(rbm, MaskedDenseKernels.dense(), v, states);
        double[] h = new double[nv];
        double[] j = new double[nv * nv];
        for (int s = 0; s < states; s++) {
            double[] sg = spins(s, nv);
            for (int i = 0; i < nv; i++) {
                h[i] += -f[s] * sg[i] / states;
                for (int k = 0; k < nv; k++) {
                    if (k != i) {
                        j[i * nv + k] += -f[s] * sg[i] * sg[k] / states;
                    }
                }
            }
        }
        return new double[][] {h, j};
    }

    /** The §7.6 formulas with the exact (discrete, uniform ±1) distribution of the other spins instead of a Gaussian. */
    private static double[][] formulaWithExactAverage(Rbm rbm) {
        int nv = rbm.nv, nh = rbm.nh;
        double[] w = IsingMapping.scaledWeights(rbm);
        double[] eta = IsingMapping.eta(rbm, w);
        double[] theta = IsingMapping.theta(rbm, w);
        double[] h = new double[nv];
        double[] j = new double[nv * nv];
        for (int i = 0; i < nv; i++) {
            double sf = 0;
            for (int mu = 0; mu < nh; mu++) {
                for (long s = 0; s < 1L << nv; s++) {
                    if ((s >>> i & 1) != 0) {
                        continue; // enumerate the others only
                    }
                    double x = 0;
                    double[] sg = spins(s, nv);
                    for (int k = 0; k < nv; k++) {
                        x += k == i ? 0 : w[k * nh + mu] * sg[k];
                    }
                    double wi = w[i * nh + mu];
                    sf += (IsingMapping.lnCosh(theta[mu] + wi + x) - IsingMapping.lnCosh(theta[mu] - wi + x)) / (1L << (nv - 1));
                }
            }
            h[i] = eta[i] + 0.5 * sf;
            for (int k = 0; k < nv; k++) {
                if (k == i) {
                    continue;
                }
                double sc = 0;
                for (int mu = 0; mu < nh; mu++) {
                    double wi = w[i * nh + mu], wk = w[k * nh + mu];
                    for (long s = 0; s < 1L << nv; s++) {
                        if ((s >>> i & 1) != 0 || (s >>> k & 1) != 0) {
                            continue;
                        }
                        double[] sg = spins(s, nv);
                        double x = 0;
                        for (int q = 0; q < nv; q++) {
                            x += q == i || q == k ? 0 : w[q * nh + mu] * sg[q];
                        }
                        double th = theta[mu];
                        sc += (IsingMapping.lnCosh(th + wi + wk + x) + IsingMapping.lnCosh(th - wi - wk + x)
                                - IsingMapping.lnCosh(th + wi - wk + x) - IsingMapping.lnCosh(th - wi + wk + x)) / (1L << (nv - 2));
                    }
                }
                j[i * nv + k] = 0.25 * sc;
            }
        }
        return new double[][] {h, j};
    }

    @Test
    void formulasAreTheExactWalshCoefficientsWhenTheAverageIsExact() {
        // Checks η, θ, w = W/4 and the ½, ¼ factors against brute-force expansion of log p(v).
        for (long seed = 1; seed <= 3; seed++) {
            Rbm rbm = TestRbms.random(4, 2, 1.5, seed == 3 ? 0.25 : 0.0, seed);
            double[][] exact = walsh(rbm);
            double[][] formula = formulaWithExactAverage(rbm);
            assertArrayEquals(exact[0], formula[0], 1e-12, "fields, seed " + seed);
            assertArrayEquals(exact[1], formula[1], 1e-12, "couplings, seed " + seed);
        }
    }

    /** Composite Simpson of E[f(τZ)], Z ~ N(0,1), on z ∈ [−15, 15] with the given number of (even) intervals. */
    private static double simpson(java.util.function.DoubleUnaryOperator f, double tau, int intervals) {
        double h = 30.0 / intervals, s = 0;
        for (int q = 0; q <= intervals; q++) {
            double z = -15.0 + q * h;
            double c = q == 0 || q == intervals ? 1 : (q % 2 == 1 ? 4 : 2);
            s += c * Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI) * f.applyAsDouble(tau * z);
        }
        return s * h / 3;
    }

    /** Fields and couplings with every Gaussian expectation done by Simpson (reference-code style, finer step). */
    private static double[][] simpsonReference(Rbm rbm, int intervals) {
        int nv = rbm.nv, nh = rbm.nh;
        double[] w = IsingMapping.scaledWeights(rbm);
        double[] eta = IsingMapping.eta(rbm, w);
        double[] theta = IsingMapping.theta(rbm, w);
        double[] s2 = new double[nh];
        for (int i = 0; i < nv; i++) {
            for (int mu = 0; mu < nh; mu++) {
                s2[mu] += w[i * nh + mu] * w[i * nh + mu];
            }
        }
        double[] h = new double[nv], j = new double[nv * nv];
        for (int i = 0; i < nv; i++) {
            double sf = 0;
            for (int mu = 0; mu < nh; mu++) {
                double wi = w[i * nh + mu], th = theta[mu];
                double tau = Math.sqrt(s2[mu] - wi * wi);
                sf += simpson(x -> IsingMapping.lnCosh(th + wi + x) - IsingMapping.lnCosh(th - wi + x), tau, intervals);
            }
            h[i] = eta[i] + 0.5 * sf;
            for (int k = 0; k < nv; k++) {
                if (k == i) {
                    continue;
                }
                double sc = 0;
                for (int mu = 0; mu < nh; mu++) {
                    double wi = w[i * nh + mu], wk = w[k * nh + mu], th = theta[mu];
                    double tau = Math.sqrt(Math.max(0, s2[mu] - wi * wi - wk * wk));
                    sc += simpson(x -> IsingMapping.lnCosh(th + wi + wk + x) + IsingMapping.lnCosh(th - wi - wk + x)
                            - IsingMapping.lnCosh(th + wi - wk + x) - IsingMapping.lnCosh(th - wi + wk + x), tau, intervals);
                }
                j[i * nv + k] = 0.25 * sc;
            }
        }
        return new double[][] {h, j};
    }

    @Test
    void gaussHermiteAgreesWithSimpsonIntegrationOfTheSameFormula() {
        for (double sparsity : new double[] {0.0, 0.4}) {
            Rbm rbm = TestRbms.random(8, 3, 1.2, sparsity, 21);
            IsingMapping.Result r = IsingMapping.compute(rbm, 30, 1);
            double[][] ref = simpsonReference(rbm, 6000);
            assertArrayEquals(ref[0], r.fields(), 1e-8, "fields, sparsity " + sparsity);
            assertArrayEquals(ref[1], r.couplings(), 1e-8, "couplings, sparsity " + sparsity);
            IsingMapping.Result viaSimpson = IsingMapping.compute(rbm, IsingMapping.Quadrature.simpson(15, 6000), 2);
            assertArrayEquals(ref[1], viaSimpson.couplings(), 1e-12, "the Simpson rule reproduces the reference");
        }
    }

    @Test
    void quadratureErrorGrowsWithTheSpreadOfTheOtherSpins() {
        // Report (and bound) how far 30 nodes are from a fine Simpson reference as τ grows: the
        // integrand has complex singularities at distance π/2 from the real X axis.
        double[] t = GaussHermite.of(30).standardNormalNodes(), wq = GaussHermite.of(30).standardNormalWeights();
        double theta = 0.7, wi = 0.3, wj = -0.2;
        for (double tau : new double[] {0.5, 1.0, 2.0, 4.0}) {
            double gh = IsingMapping.couplingTerm(theta, wi, wj, tau * tau, t, wq);
            double ref = simpson(x -> IsingMapping.lnCosh(theta + wi + wj + x) + IsingMapping.lnCosh(theta - wi - wj + x)
                    - IsingMapping.lnCosh(theta + wi - wj + x) - IsingMapping.lnCosh(theta - wi + wj + x), tau, 60000);
            System.out.printf(Locale.ROOT, "GH30 coupling term, tau %.1f: %.12f vs Simpson %.12f, rel. error %.2e%n",
                    tau, gh, ref, Math.abs(gh - ref) / Math.abs(ref));
            assertEquals(ref, gh, tau <= 0.5 ? 1e-9 : 1e-1 * Math.abs(ref));
            // The reference code's rule (Simpson, step 0.1 on [−15, 15]) stays accurate at large τ.
            IsingMapping.Quadrature sim = IsingMapping.Quadrature.simpson(15, 300);
            double coarse = IsingMapping.couplingTerm(theta, wi, wj, tau * tau, sim.nodes(), sim.weights());
            System.out.printf(Locale.ROOT, "  Simpson step 0.1: rel. error %.2e%n", Math.abs(coarse - ref) / Math.abs(ref));
            assertEquals(ref, coarse, 1e-4 * Math.abs(ref));
        }
    }

    @Test
    void dilutionPropertyCouplingsVanishExactlyWithoutASharedHiddenUnit() {
        Rbm rbm = TestRbms.random(30, 6, 1.0, 0.8, 5);
        IsingMapping.Result r = IsingMapping.compute(rbm, 30, 2);
        int nv = rbm.nv, nh = rbm.nh, zeros = 0, shared = 0;
        for (int i = 0; i < nv; i++) {
            for (int k = 0; k < nv; k++) {
                if (i == k) {
                    assertEquals(0.0, r.coupling(i, k));
                    continue;
                }
                boolean share = false;
                for (int mu = 0; mu < nh; mu++) {
                    share |= rbm.mask[i * nh + mu] != 0 && rbm.mask[k * nh + mu] != 0;
                }
                if (share) {
                    shared++;
                    assertTrue(r.coupling(i, k) != 0.0, "pair " + i + "," + k + " shares a unit");
                } else {
                    zeros++;
                    assertEquals(0.0, r.coupling(i, k), "pair " + i + "," + k);
                }
            }
        }
        assertTrue(zeros > 100 && shared > 100, "both kinds of pairs occur: " + zeros + " / " + shared);
        // The per-unit term itself is exactly zero when either weight is 0, so summing all units
        // would give the same J: restricting the sum is exact.
        double[] t = GaussHermite.of(30).standardNormalNodes(), wq = GaussHermite.of(30).standardNormalWeights();
        for (double th : new double[] {-3.1, 0.0, 0.37, 12.5}) {
            for (double w : new double[] {-0.8, 0.013, 2.4}) {
                assertEquals(0.0, IsingMapping.couplingTerm(th, 0.0, w, 0.9, t, wq));
                assertEquals(0.0, IsingMapping.couplingTerm(th, w, 0.0, 0.9, t, wq));
                assertEquals(0.0, IsingMapping.fieldTerm(th, 0.0, 0.9, t, wq));
            }
        }
    }

    @Test
    void couplingsAreSymmetricUnderRelabellingAndIndependentOfThreads() {
        Rbm rbm = TestRbms.random(12, 5, 1.0, 0.3, 9);
        IsingMapping.Result one = IsingMapping.compute(rbm, 30, 1);
        IsingMapping.Result three = IsingMapping.compute(rbm, 30, 3);
        assertArrayEquals(one.couplings(), three.couplings(), 0.0);
        assertArrayEquals(one.fields(), three.fields(), 0.0);
        // Reverse the visible order: J'_{ij} = J_{n−1−i, n−1−j}, computed with the roles of the pair swapped.
        int nv = 12, nh = 5;
        double[] w2 = new double[nv * nh], a2 = new double[nv];
        byte[] m2 = new byte[nv * nh];
        for (int i = 0; i < nv; i++) {
            a2[nv - 1 - i] = rbm.a[i];
            for (int mu = 0; mu < nh; mu++) {
                w2[(nv - 1 - i) * nh + mu] = rbm.w[i * nh + mu];
                m2[(nv - 1 - i) * nh + mu] = rbm.mask[i * nh + mu];
            }
        }
        IsingMapping.Result rev = IsingMapping.compute(new Rbm(nv, nh, w2, a2, rbm.b.clone(), m2), 30, 1);
        for (int i = 0; i < nv; i++) {
            assertEquals(one.fields()[i], rev.fields()[nv - 1 - i], 1e-12);
            for (int k = 0; k < nv; k++) {
                assertEquals(one.coupling(i, k), rev.coupling(nv - 1 - i, nv - 1 - k), 1e-12);
                assertEquals(one.coupling(i, k), one.coupling(k, i));
            }
        }
    }

    @Test
    void summaryImageAndDistanceProfile(@TempDir Path dir) throws Exception {
        IsingMapping.Result r = new IsingMapping.Result(4, new double[] {1, 2, 3, 6},
                new double[] {0, 0.5, 0, -1, 0.5, 0, 0.01, 0, 0, 0.01, 0, 0, -1, 0, 0, 0});
        Map<String, Double> s = r.summary(0.1);
        assertEquals(Math.sqrt(2 * (0.25 + 1 + 0.0001)), s.get("gim.J.frobenius"), 1e-15);
        assertEquals(2.0, s.get("gim.J.above_threshold"));
        assertEquals(0.5, s.get("gim.J.fraction_nonzero"));
        assertEquals((0.5 - 1 + 0.01) / 6, s.get("gim.J.mean"), 1e-15);
        assertEquals(1.0, s.get("gim.J.max_abs"));
        assertEquals(3.0, s.get("gim.H.mean"));
        assertEquals(Math.sqrt((4 + 1 + 0 + 9) / 4.0), s.get("gim.H.std"), 1e-15);
        // 2x2 grid: pixels 0,1 adjacent (d = 1), 0 and 3 diagonal (d = 1.41 -> 1), 1 and 2 diagonal.
        double[] prof = r.meanAbsCouplingByDistance(2, 2);
        assertEquals(2, prof.length);
        assertEquals((0.5 + 0 + 1 + 0.01 + 0 + 0) / 6, prof[1], 1e-15);
        Path png = dir.resolve("j.png");
        IsingMapping.writeCouplingPng(r, 3, png);
        var img = ImageIO.read(png.toFile());
        assertEquals(12, img.getWidth());
        assertEquals(0x0000FF, img.getRGB(3 * 3, 0) & 0xFFFFFF, "J = -1 = -max|J|: full blue");
        int fade = (int) Math.round(255 * (1 - Math.log1p(0.5 / 1e-3) / Math.log1p(1 / 1e-3)));
        assertEquals(0xFF0000 | fade << 8 | fade, img.getRGB(1 * 3 + 2, 2) & 0xFFFFFF, "J = 0.5: red, log scale");
        assertEquals(0xFFFFFF, img.getRGB(0, 0) & 0xFFFFFF, "zero diagonal: white");
    }

    @Test
    void lnCoshIsStable() {
        assertEquals(0.0, IsingMapping.lnCosh(0.0));
        assertEquals(Math.log(Math.cosh(0.7)), IsingMapping.lnCosh(0.7), 1e-15);
        assertEquals(800 - Math.log(2), IsingMapping.lnCosh(-800), 1e-12);
    }
}
