package org.prunelab.stages.core;

import java.util.SplittableRandom;
import org.prunelab.stages.numeric.Logistic;

/** Numerically stable scalar functions and the Bernoulli/Gaussian draws shared by the model families and the evaluation code. */
public final class StableMath {
    private StableMath() {
    }

    /** σ(x) without overflow ({@link Logistic#of}, the formula the parallel kernel uses too). */
    public static double sigmoid(double x) {
        return Logistic.of(x);
    }

    /**
     * tanh(x) = sign(x)·(1 − 2/(e^{2|x|} + 1)), within 2.3e-16 absolute of {@link StrictMath#tanh}.
     * Why not {@link Math#tanh}: on Java 17 it is a JNI call into fdlibm per value, three to four times
     * slower than the intrinsic {@link Math#exp} this uses, and the recurrent cells take millions of
     * tanh per batch. exp is only taken of a non-negative number no larger than 44 (no overflow).
     */
    public static double tanh(double x) {
        double a = Math.abs(x);
        if (a > 22.0) {
            return Math.copySign(1.0, x);   // 1 − tanh(22) < 2^-63: already 1.0 in double
        }
        return Math.copySign(1.0 - 2.0 / (Math.exp(2.0 * a) + 1.0), x);
    }

    /** softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^{-|x|}); exact for large |x|. */
    public static double softplus(double x) {
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** log σ(x) = -softplus(-x). */
    public static double logSigmoid(double x) {
        return -softplus(-x);
    }

    /**
     * In place: row [from, from+len) of logits becomes softmax probabilities, each row shifted by its
     * maximum first so exp never overflows. The one softmax of a row the classifiers use.
     */
    public static void softmaxInPlace(double[] z, int from, int len) {
        double max = rowMax(z, from, len);
        double sum = expShifted(z, from, len, max, z, from);
        for (int k = 0; k < len; k++) {
            z[from + k] /= sum;
        }
    }

    /**
     * −log softmax(z)[label] of row [from, from+classes): log Σ e^{z−max} − (z_label − max), the
     * loss of one row as {@link #softmaxCrossEntropy} computes it (for scoring without a gradient).
     */
    public static double crossEntropyOfRow(double[] z, int from, int classes, int label) {
        double max = rowMax(z, from, classes);
        return Math.log(expShifted(z, from, classes, max, null, 0)) - (z[from + label] - max);
    }

    /**
     * Mean softmax cross-entropy of the first {@code n} rows of {@code logits} (row-major, {@code classes}
     * per row) against {@code labels}, and into {@code grad} (same layout; entries past row n are left
     * alone) its gradient with respect to the logits, (softmax − onehot(label)) / n. Each row is
     * shifted by its maximum, so exp never overflows and the loss of a row is
     * log Σ e^{z−max} − (z_label − max). The one copy every classifier head trains with: the order of
     * operations is fixed here, so families that share it share its rounding.
     *
     * @throws IllegalArgumentException if a label is outside 0..classes−1 (naming the row)
     */
    public static double softmaxCrossEntropy(double[] logits, int[] labels, int n, int classes, double[] grad) {
        double loss = 0.0;
        for (int r = 0; r < n; r++) {
            int base = r * classes;
            int label = labels[r];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " of row " + r + " is outside 0.." + (classes - 1));
            }
            double max = rowMax(logits, base, classes);
            double sum = expShifted(logits, base, classes, max, grad, base);
            loss += Math.log(sum) - (logits[base + label] - max);
            for (int c = 0; c < classes; c++) {
                grad[base + c] = (grad[base + c] / sum - (c == label ? 1.0 : 0.0)) / n;
            }
        }
        return loss / n;
    }

    private static double rowMax(double[] z, int from, int len) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < len; k++) {
            max = Math.max(max, z[from + k]);
        }
        return max;
    }

    /** Σ e^{z−max} over the row, summed in index order; each term also into {@code terms} (if not null). */
    private static double expShifted(double[] z, int from, int len, double max, double[] terms, int termsFrom) {
        double sum = 0.0;
        for (int k = 0; k < len; k++) {
            double e = Math.exp(z[from + k] - max);
            if (terms != null) {
                terms[termsFrom + k] = e;
            }
            sum += e;
        }
        return sum;
    }

    /** In place: x[j] = σ(x[j]) for j < len. */
    public static void sigmoidInPlace(double[] x, int len) {
        for (int j = 0; j < len; j++) {
            x[j] = sigmoid(x[j]);
        }
    }

    /** out[j] = 1 if u < p[j] else 0, one uniform per entry in index order (deterministic stream use). */
    public static void bernoulli(double[] p, int len, SplittableRandom rng, double[] out) {
        for (int j = 0; j < len; j++) {
            out[j] = rng.nextDouble() < p[j] ? 1.0 : 0.0;
        }
    }

    /**
     * Standard normal by the Marsaglia polar method. Written out (rather than
     * RandomGenerator.nextGaussian) so the stream of draws is pinned by this code, not by the JDK.
     */
    public static double gaussian(SplittableRandom rng) {
        double u, v, s;
        do {
            u = 2.0 * rng.nextDouble() - 1.0;
            v = 2.0 * rng.nextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        // The second variate of the pair is discarded so that each call is self-contained.
        return u * StrictMath.sqrt(-2.0 * StrictMath.log(s) / s);
    }

    /**
     * logit(p̄_i) with p̄ clipped to [clip, 1 − clip]: the biases of a model whose units are
     * independent with the given means (RBM initialisation, AIS base model, reference samples).
     */
    public static double[] clippedLogits(double[] means, double clip) {
        double[] out = new double[means.length];
        for (int i = 0; i < out.length; i++) {
            double p = Math.min(Math.max(means[i], clip), 1.0 - clip);
            out[i] = Math.log(p / (1.0 - p));
        }
        return out;
    }
}
