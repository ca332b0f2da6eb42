package org.prunelab.stages.kernel;

/**
 * softplus(x) = log(1 + eˣ) = max(x, 0) + log(1 + e^−|x|) in plain arithmetic, for the one place
 * where it is evaluated billions of times: the exact log-partition of a small RBM, which sums it over
 * every visible unit for each of 2^16 hidden states ({@code RbmMetrics}). {@code Math.log1p} is not
 * a JIT intrinsic (about 20 ns a call here); this form has no call at all.
 *
 * <p>e = e^−|x| by {@link PolynomialSigmoid}'s exp (Cody–Waite reduction, degree-12 Taylor polynomial,
 * 2ⁿ in the exponent bits; 0 below −708). Then log(1 + e), 1 + e ∈ [1, 2]: y = 1 + e rounded, and
 * c = e − (y − 1) the part of e the rounding lost (exact, by Sterbenz); m = y or y/2, whichever lies in
 * [√2/2, √2]; log m = 2·atanh(s) with s = (m − 1)/(m + 1), |s| ≤ 0.1716, by its series to s²³
 * (truncation below 1.5e-17 of the sum); log(1 + e) = k·ln 2 + log m + c/y. The absolute error is a
 * few units of 1e-16, against terms that {@code RbmMetrics} adds up by the hundred
 * (PolynomialSoftplusTest).
 */
public final class PolynomialSoftplus {
    static final double SQRT2 = 1.4142135623730951;
    static final double LN2 = 0.6931471805599453;
    /** 1/(2k+1) for k = 11 down to 0: the Horner coefficients of atanh(s)/s in s². */
    static final double[] ATANH = {1.0 / 23, 1.0 / 21, 1.0 / 19, 1.0 / 17, 1.0 / 15, 1.0 / 13, 1.0 / 11, 1.0 / 9,
        1.0 / 7, 1.0 / 5, 1.0 / 3, 1.0};

    private PolynomialSoftplus() {
    }

    /** softplus(x) by the formula above. NaN gives NaN. */
    public static double of(double x) {
        double e = expOfMinusAbs(x);
        double y = 1.0 + e;
        double lost = e - (y - 1.0);
        boolean high = y > SQRT2;
        double m = high ? y * 0.5 : y;
        double s = (m - 1.0) / (m + 1.0);
        double s2 = s * s;
        double p = ATANH[0];
        for (int k = 1; k < ATANH.length; k++) {
            p = p * s2 + ATANH[k];
        }
        double log = (high ? LN2 : 0.0) + 2.0 * s * p + lost / y;
        return Math.max(x, 0.0) + log;
    }

    /**
     * Σ softplus(x[j]) for j in [from, to), on the Java Vector API when the JVM has it
     * ({@link ElementwisePath}). The order of the additions is fixed whatever runs it: four running
     * sums, one per residue of j − from modulo 4 over the whole blocks of four, combined as
     * (s₀ + s₁) + (s₂ + s₃), then the remaining entries in index order. So the vector path (four
     * lanes, {@link VectorSoftplus}) and the scalar one give the same bits.
     */
    public static double sum(double[] x, int from, int to) {
        return ElementwisePath.softplusSum(x, from, to);
    }

    /** {@link #sum} one entry at a time; the four running sums also let the CPU overlap four evaluations. */
    static double sumScalar(double[] x, int from, int to) {
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        int j = from;
        for (; j + 4 <= to; j += 4) {
            s0 += of(x[j]);
            s1 += of(x[j + 1]);
            s2 += of(x[j + 2]);
            s3 += of(x[j + 3]);
        }
        double total = (s0 + s1) + (s2 + s3);
        for (; j < to; j++) {
            total += of(x[j]);
        }
        return total;
    }

    /** e^−|x| as {@link PolynomialSigmoid} computes it; 0 below −708. */
    static double expOfMinusAbs(double x) {
        double a = Math.max(-Math.abs(x), PolynomialSigmoid.LOWEST);
        double shifted = a * PolynomialSigmoid.LOG2E + PolynomialSigmoid.ROUNDER;
        double n = shifted - PolynomialSigmoid.ROUNDER;
        double r = (a - n * PolynomialSigmoid.LN2_HI) - n * PolynomialSigmoid.LN2_LO;
        double[] taylor = PolynomialSigmoid.TAYLOR;
        double p = taylor[0];
        for (int k = 1; k < taylor.length; k++) {
            p = p * r + taylor[k];
        }
        long exponent = Double.doubleToRawLongBits(shifted) - Double.doubleToRawLongBits(PolynomialSigmoid.ROUNDER)
                + PolynomialSigmoid.EXPONENT_BIAS;
        double e = p * Double.longBitsToDouble(exponent << 52);
        return -Math.abs(x) < PolynomialSigmoid.LOWEST ? 0.0 : e;
    }
}
