package org.prunelab.stages.families.rbm;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.prunelab.stages.core.StableMath;
import org.prunelab.stages.kernel.MaskedDenseKernel;

/**
 * AIS estimate of log Z (rbm-dilution protocol §7.4; Salakhutdinov &amp; Murray 2008).
 *
 * <p>Base model A: independent visibles with biases a^A (usually logit of the clipped training
 * pixel means, {@link #baseBiases}) and free hidden units, so log Z_0 = N_h·ln 2 + Σ_i softplus(a^A_i).
 * Path p*_β(v,h) = exp((1−β) a^A·v + β (a·v + b·h + vᵀ(M⊙W)h)), marginal
 * log p*_β(v) = (1−β) a^A·v + β a·v + Σ_μ softplus(β (b_μ + Σ_i W_iμ v_i)). Transitions T_β are one
 * Gibbs sweep (h then v) at β.
 *
 * <p>The M runs advance together as a batch: per β one {@link MaskedDenseKernel#hiddenPreActivation} and
 * one {@link MaskedDenseKernel#visiblePreActivation}, so a sparse kernel makes masked models cheap. The
 * hidden pre-activation of the current v serves both the weight increment and the hidden draw of
 * T_β. Single-threaded; the random stream is consumed in a fixed order (initial v row-major, then
 * per β: h row-major, v row-major), so a seed fixes the result bit for bit.
 */
public final class AnnealedImportanceSampling {
    /** Clip of pixel means for the base biases, as in the model initialisation (protocol §3). */
    public static final double MEAN_CLIP = 1e-3;

    private AnnealedImportanceSampling() {
    }

    /**
     * The inverse temperatures β_0 = 0 &lt; ... ≤ β_K = 1; K = {@link #intervals()} is the number of
     * weight increments (and K − 1 the number of Gibbs transitions).
     */
    public record Schedule(double[] betas) {
        public Schedule {
            betas = betas.clone();
            if (betas.length < 2 || betas[0] != 0.0 || betas[betas.length - 1] != 1.0) {
                throw new IllegalArgumentException("a schedule needs at least two betas, from exactly 0 to exactly 1");
            }
            for (int k = 1; k < betas.length; k++) {
                if (!(betas[k] >= betas[k - 1])) {
                    throw new IllegalArgumentException("betas must be non-decreasing; beta[" + k + "]=" + betas[k]
                            + " < beta[" + (k - 1) + "]=" + betas[k - 1]);
                }
            }
        }

        @Override
        public double[] betas() {
            return betas.clone();
        }

        public int intervals() {
            return betas.length - 1;
        }

        /** K uniform intervals on [0, 1]. */
        public static Schedule linear(int k) {
            return piecewise(new double[] {1.0}, new int[] {k});
        }

        /**
         * Uniform segments: {@code counts[s]} intervals from the previous end (0 first) to
         * {@code ends[s]}; the last end must be 1. Segment ends are hit exactly.
         */
        public static Schedule piecewise(double[] ends, int[] counts) {
            if (ends.length != counts.length || ends.length == 0) {
                throw new IllegalArgumentException("ends and counts must be non-empty and of equal length");
            }
            int total = 0;
            for (int c : counts) {
                if (c < 1) {
                    throw new IllegalArgumentException("each segment needs at least one interval, got " + c);
                }
                total = Math.addExact(total, c);
            }
            double[] b = new double[total + 1];
            int k = 0;
            double start = 0.0;
            for (int s = 0; s < ends.length; s++) {
                double end = ends[s];
                for (int t = 1; t <= counts[s]; t++) {
                    b[++k] = t == counts[s] ? end : start + (end - start) * t / counts[s];
                }
                start = end;
            }
            return new Schedule(b);
        }

        /**
         * Salakhutdinov &amp; Murray (2008): 1,000 uniform intervals on [0, 0.5], 4,000 on [0.5, 0.9],
         * 10,000 on [0.9, 1]; K = 15,000. (Their public MATLAB code uses steps 1e-3, 1e-4, 1e-5,
         * i.e. 500 + 4,000 + 10,000 = 14,500 intervals; protocol §7.4 quotes the counts and K = 14,500.)
         */
        public static Schedule salakhutdinovMurray() {
            return scaledSalakhutdinovMurray(1.0);
        }

        /** The same three segments with every count multiplied by {@code factor} (at least 1 each). */
        public static Schedule scaledSalakhutdinovMurray(double factor) {
            if (!(factor > 0.0)) {
                throw new IllegalArgumentException("factor must be > 0, got " + factor);
            }
            int[] counts = {1000, 4000, 10000};
            for (int s = 0; s < counts.length; s++) {
                counts[s] = Math.max(1, (int) Math.round(counts[s] * factor));
            }
            return piecewise(new double[] {0.5, 0.9, 1.0}, counts);
        }
    }

    /**
     * Estimate and diagnostics. {@code logZ} = log Z_0 + logsumexp(log w) − log M; the bounds are
     * log Z_0 + log(r̂ ∓ 3σ̂) with r̂ the mean importance weight and σ̂ its standard error (sample
     * std with M − 1, over √M); the lower bound is −∞ when r̂ − 3σ̂ ≤ 0. ESS = (Σw)²/Σw² in [1, M].
     * {@code logWeightVariance} is the sample variance (M − 1) of log w (0 when M = 1).
     */
    public record Result(double logZ, double logZLower, double logZUpper, double logZBase, double ess,
            double logWeightVariance, int runs, int intervals, double[] logWeights) {
        public Result {
            logWeights = logWeights.clone();
        }

        @Override
        public double[] logWeights() {
            return logWeights.clone();
        }

        /** Mean log-likelihood per row in nats with this estimate of log Z: −mean F(v) − log Ẑ. */
        public double logLikelihood(Rbm rbm, MaskedDenseKernel kernel, double[] data, int n) {
            return -RbmMetrics.meanFreeEnergy(rbm, kernel, data, n) - logZ;
        }
    }

    /** a^A_i = logit(p̄_i), p̄ clipped to [{@value #MEAN_CLIP}, 1 − {@value #MEAN_CLIP}]. */
    public static double[] baseBiases(double[] pixelMeans) {
        return StableMath.clippedLogits(pixelMeans, MEAN_CLIP);
    }

    /** Column means of n rows of width nv (e.g. the binarised training set, for {@link #baseBiases}). */
    public static double[] pixelMeans(double[] data, int n, int nv) {
        double[] m = new double[nv];
        for (int r = 0; r < n; r++) {
            int base = r * nv;
            for (int i = 0; i < nv; i++) {
                m[i] += data[base + i];
            }
        }
        for (int i = 0; i < nv; i++) {
            m[i] /= n;
        }
        return m;
    }

    /** log Z of the base model: N_h·ln 2 + Σ_i softplus(a^A_i). */
    public static double logZBase(double[] baseBias, int nh) {
        double s = nh * Math.log(2.0);
        for (double x : baseBias) {
            s += StableMath.softplus(x);
        }
        return s;
    }

    /** The spec default: {@code runs} = 100 with the Salakhutdinov–Murray schedule. */
    public static Result estimate(Rbm rbm, MaskedDenseKernel kernel, double[] baseBias, SplittableRandom rng) {
        return estimate(rbm, kernel, baseBias, 100, Schedule.salakhutdinovMurray(), rng);
    }

    public static Result estimate(Rbm rbm, MaskedDenseKernel kernel, double[] baseBias, int runs, Schedule schedule,
            SplittableRandom rng) {
        int nv = rbm.nv, nh = rbm.nh;
        if (baseBias.length != nv) {
            throw new IllegalArgumentException("baseBias has length " + baseBias.length + ", expected nv=" + nv);
        }
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be >= 1, got " + runs);
        }
        for (int i = 0; i < nv; i++) {
            if (!Double.isFinite(baseBias[i])) {
                throw new IllegalArgumentException("baseBias[" + i + "] is not finite: " + baseBias[i]);
            }
        }
        double[] betas = schedule.betas;
        int intervals = betas.length - 1;
        double[] da = new double[nv]; // a − a^A: the β-dependent part of the visible linear term
        for (int i = 0; i < nv; i++) {
            da[i] = rbm.a[i] - baseBias[i];
        }
        double[] pBase = new double[nv];
        for (int i = 0; i < nv; i++) {
            pBase[i] = StableMath.sigmoid(baseBias[i]);
        }

        double[] v = new double[runs * nv];
        for (int r = 0; r < runs; r++) {
            for (int i = 0; i < nv; i++) {
                v[r * nv + i] = rng.nextDouble() < pBase[i] ? 1.0 : 0.0;
            }
        }
        double[] logW = new double[runs];
        double[] pre = new double[runs * nh];  // b + Wᵀv of the current v
        double[] h = new double[runs * nh];
        double[] pv = new double[runs * nv];   // a + W h
        for (int k = 1; k <= intervals; k++) {
            double bPrev = betas[k - 1], bNow = betas[k];
            boolean transition = k < intervals;
            kernel.forward(rbm, rbm.b, v, runs, pre);
            double dBeta = bNow - bPrev;
            for (int r = 0; r < runs; r++) {
                int vb = r * nv;
                double lin = 0.0;
                for (int i = 0; i < nv; i++) {
                    lin += da[i] * v[vb + i];
                }
                double inc = dBeta * lin;
                int hb = r * nh;
                for (int mu = 0; mu < nh; mu++) {
                    double x = pre[hb + mu];
                    double now = bNow * x;
                    double ax = Math.abs(now);
                    double e = Math.exp(-ax); // shared by softplus(now) and σ(now)
                    double spNow = Math.max(now, 0.0) + Math.log1p(e);
                    inc += spNow - StableMath.softplus(bPrev * x);
                    if (transition) {
                        h[hb + mu] = now >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
                    }
                }
                logW[r] += inc;
            }
            if (!transition) {
                break;
            }
            // T_{β_k}: h ~ σ(β_k pre) (probabilities already in h), then v ~ σ((1−β_k) a^A + β_k (a + W h)).
            StableMath.bernoulli(h, runs * nh, rng, h);
            kernel.transposed(rbm, rbm.a, h, runs, pv);
            double oneMinus = 1.0 - bNow;
            for (int r = 0; r < runs; r++) {
                int vb = r * nv;
                for (int i = 0; i < nv; i++) {
                    double p = StableMath.sigmoid(oneMinus * baseBias[i] + bNow * pv[vb + i]);
                    v[vb + i] = rng.nextDouble() < p ? 1.0 : 0.0;
                }
            }
        }
        return summarise(logW, logZBase(baseBias, nh), intervals);
    }

    /** Diagnostics of protocol §7.4 from the log importance weights; package-private for tests. */
    static Result summarise(double[] logW, double logZ0, int intervals) {
        int m = logW.length;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : logW) {
            if (Double.isNaN(x)) {
                throw new IllegalStateException("NaN log importance weight");
            }
            max = Math.max(max, x);
        }
        double sum = 0.0, sumSq = 0.0;
        for (double x : logW) {
            double w = Math.exp(x - max);
            sum += w;
            sumSq += w * w;
        }
        double mean = sum / m;
        double var = 0.0;
        for (double x : logW) {
            double d = Math.exp(x - max) - mean;
            var += d * d;
        }
        double stdErr = m > 1 ? Math.sqrt(var / (m - 1)) / Math.sqrt(m) : 0.0;
        double logZ = logZ0 + max + Math.log(mean);
        double upper = logZ0 + max + Math.log(mean + 3.0 * stdErr);
        double lower = mean - 3.0 * stdErr > 0.0 ? logZ0 + max + Math.log(mean - 3.0 * stdErr) : Double.NEGATIVE_INFINITY;
        double lmean = 0.0;
        for (double x : logW) {
            lmean += x;
        }
        lmean /= m;
        double lvar = 0.0;
        for (double x : logW) {
            lvar += (x - lmean) * (x - lmean);
        }
        lvar = m > 1 ? lvar / (m - 1) : 0.0;
        return new Result(logZ, lower, upper, logZ0, sum * sum / sumSq, lvar, m, intervals, Arrays.copyOf(logW, m));
    }
}
