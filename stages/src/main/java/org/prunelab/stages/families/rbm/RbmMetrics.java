package org.prunelab.stages.families.rbm;

import org.prunelab.stages.core.StableMath;
import org.prunelab.stages.kernel.MaskedDenseKernel;
import org.prunelab.stages.kernel.PolynomialSoftplus;

/** Data metrics of protocol §7.1–7.3: free energy, reconstruction error, exact PLL, exact log Z and LL. */
public final class RbmMetrics {
    /** Hard limit of the exact enumeration: 2^24 states of the smaller layer. */
    public static final int MAX_EXACT_UNITS = 24;

    /** Steps of the Gray-code walk between exact recomputations of the running pre-activations. */
    private static final int RESYNC_PERIOD = 1 << 12;

    private RbmMetrics() {
    }

    /** F(v) = −a·v − Σ_μ softplus(b_μ + Σ_i W_iμ v_i) for each of the n rows (protocol §3). */
    public static double[] freeEnergies(Rbm rbm, MaskedDenseKernel kernel, double[] data, int n) {
        int nv = rbm.nv, nh = rbm.nh;
        double[] pre = new double[n * nh];
        kernel.forward(rbm, rbm.b, data, n, pre);
        double[] f = new double[n];
        for (int r = 0; r < n; r++) {
            double av = 0.0;
            for (int i = 0; i < nv; i++) {
                av += rbm.a[i] * data[r * nv + i];
            }
            double sp = 0.0;
            for (int mu = 0; mu < nh; mu++) {
                sp += StableMath.softplus(pre[r * nh + mu]);
            }
            f[r] = -av - sp;
        }
        return f;
    }

    /** Mean of F over the n rows. */
    public static double meanFreeEnergy(Rbm rbm, MaskedDenseKernel kernel, double[] data, int n) {
        double[] f = freeEnergies(rbm, kernel, data, n);
        double s = 0.0;
        for (double x : f) {
            s += x;
        }
        return s / n;
    }

    /** §7.1: mean over rows and pixels of (v − p(v=1|ĥ))², ĥ = p(h|v) mean-field. */
    public static double reconstructionError(Rbm rbm, MaskedDenseKernel kernel, double[] data, int n) {
        int nv = rbm.nv;
        double[] h = new double[n * rbm.nh];
        kernel.forward(rbm, rbm.b, data, n, h);
        StableMath.sigmoidInPlace(h, h.length);
        double[] pv = new double[n * nv];
        kernel.transposed(rbm, rbm.a, h, n, pv);
        double s = 0.0;
        for (int j = 0; j < n * nv; j++) {
            double d = data[j] - StableMath.sigmoid(pv[j]);
            s += d * d;
        }
        return s / ((double) n * nv);
    }

    /**
     * §7.2 exact mean PLL per sample, in nats: mean_n Σ_i log σ(F(v⁽ⁱ⁾) − F(v)). Flipping bit i
     * shifts every hidden pre-activation by ±W_iμ, so F(v⁽ⁱ⁾) − F(v) is accumulated as a difference
     * over the kept connections of row i only (no cancellation between two large free energies,
     * and pruned connections contribute exactly 0). Data must be binary.
     */
    public static double pseudoLogLikelihood(Rbm rbm, double[] data, int n) {
        int nv = rbm.nv, nh = rbm.nh;
        double[] w = rbm.w;
        double[] pre = new double[nh];
        double[] sp = new double[nh];
        double total = 0.0;
        for (int r = 0; r < n; r++) {
            int vb = r * nv;
            System.arraycopy(rbm.b, 0, pre, 0, nh);
            for (int i = 0; i < nv; i++) {
                double vi = data[vb + i];
                if (vi != 0.0 && vi != 1.0) {
                    throw new IllegalArgumentException("PLL needs binary data, got " + vi + " at row " + r + ", pixel " + i);
                }
                if (vi != 0.0) {
                    int wb = i * nh;
                    for (int mu = 0; mu < nh; mu++) {
                        pre[mu] += w[wb + mu];
                    }
                }
            }
            for (int mu = 0; mu < nh; mu++) {
                sp[mu] = StableMath.softplus(pre[mu]);
            }
            double sample = 0.0;
            for (int i = 0; i < nv; i++) {
                double sign = data[vb + i] != 0.0 ? -1.0 : 1.0; // 1 -> 0 removes row i, 0 -> 1 adds it
                int wb = i * nh;
                // ΔF = F(v⁽ⁱ⁾) − F(v) = −sign·a_i − Σ_μ [softplus(pre_μ + sign·W_iμ) − softplus(pre_μ)]
                double dSoft = 0.0;
                for (int mu = 0; mu < nh; mu++) {
                    double wi = w[wb + mu];
                    if (wi != 0.0) {
                        dSoft += StableMath.softplus(pre[mu] + sign * wi) - sp[mu];
                    }
                }
                double dF = -sign * rbm.a[i] - dSoft;
                sample += StableMath.logSigmoid(dF);
            }
            total += sample;
        }
        return total / n;
    }

    /** True when the exact enumeration is allowed: min(nv, nh) ≤ min(maxUnits, {@value #MAX_EXACT_UNITS}). */
    public static boolean exactFeasible(Rbm rbm, int maxUnits) {
        return Math.min(rbm.nv, rbm.nh) <= Math.min(maxUnits, MAX_EXACT_UNITS);
    }

    /**
     * §7.3 exact log Z by enumerating the smaller layer in Gray-code order. For nh ≤ nv:
     * log Z = logsumexp_h [ b·h + Σ_i softplus(a_i + Σ_μ W_iμ h_μ) ]; otherwise the same with the
     * roles of the layers swapped (= logsumexp_v −F(v)).
     */
    public static double logPartitionExact(Rbm rbm) {
        int nv = rbm.nv, nh = rbm.nh;
        if (Math.min(nv, nh) > MAX_EXACT_UNITS) {
            throw new IllegalArgumentException("exact log Z enumerates 2^min(nv,nh) states; min(" + nv + ", " + nh
                    + ") exceeds " + MAX_EXACT_UNITS);
        }
        return logPartitionEnumerating(rbm, nh <= nv);
    }

    /** Exact log Z enumerating the hidden layer (true) or the visible layer (false); for tests. */
    static double logPartitionEnumerating(Rbm rbm, boolean hidden) {
        int nv = rbm.nv, nh = rbm.nh;
        int enumerated = hidden ? nh : nv;
        if (enumerated > MAX_EXACT_UNITS) {
            throw new IllegalArgumentException("cannot enumerate 2^" + enumerated + " states (limit 2^" + MAX_EXACT_UNITS + ")");
        }
        if (hidden) {
            // Enumerate h; the weights are needed column by column, so transpose to nh x nv.
            double[] wt = new double[nh * nv];
            for (int i = 0; i < nv; i++) {
                for (int mu = 0; mu < nh; mu++) {
                    wt[mu * nv + i] = rbm.w[i * nh + mu];
                }
            }
            return enumerate(nh, nv, rbm.b, rbm.a, wt);
        }
        return enumerate(nv, nh, rbm.a, rbm.b, rbm.w);
    }

    /**
     * logsumexp over x ∈ {0,1}^nx of [ c·x + Σ_y softplus(d_y + Σ_x x_k U[k*ny + y]) ]. The walk
     * flips one bit per step (Gray code), so the ny running pre-activations move by one row of U.
     * They are recomputed from scratch every {@value #RESYNC_PERIOD} steps to bound rounding drift.
     * The logsumexp is streamed with a running maximum.
     */
    private static double enumerate(int nx, int ny, double[] c, double[] d, double[] u) {
        double[] pre = new double[ny];
        long states = 1L << nx;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0.0;
        long gray = 0;
        double cx = 0.0;
        for (long t = 0; t < states; t++) {
            if (t > 0) {
                gray = t ^ (t >>> 1);
            }
            if (t % RESYNC_PERIOD == 0) {
                cx = 0.0;
                System.arraycopy(d, 0, pre, 0, ny);
                for (int k = 0; k < nx; k++) {
                    if ((gray >>> k & 1L) != 0) {
                        cx += c[k];
                        int ub = k * ny;
                        for (int y = 0; y < ny; y++) {
                            pre[y] += u[ub + y];
                        }
                    }
                }
            } else {
                int k = Long.numberOfTrailingZeros(t); // the bit that changes between gray(t-1) and gray(t)
                double sign = (gray >>> k & 1L) != 0 ? 1.0 : -1.0;
                cx += sign * c[k];
                int ub = k * ny;
                for (int y = 0; y < ny; y++) {
                    pre[y] += sign * u[ub + y];
                }
            }
            // The hot loop of the whole enumeration: ny softplus per state, vectorised (PolynomialSoftplus).
            double term = cx + PolynomialSoftplus.sum(pre, 0, ny);
            if (term > max) {
                sum = sum * Math.exp(max - term) + 1.0;
                max = term;
            } else {
                sum += Math.exp(term - max);
            }
        }
        return max + Math.log(sum);
    }

    /** Mean exact log-likelihood per sample, in nats: −mean F(v) − log Z (protocol §7.3). */
    public static double logLikelihoodExact(Rbm rbm, MaskedDenseKernel kernel, double[] data, int n) {
        return -meanFreeEnergy(rbm, kernel, data, n) - logPartitionExact(rbm);
    }
}
