package org.prunelab.stages.kernel;

/**
 * The logistic sigmoid σ(x) = 1/(1 + e⁻ˣ) of the counter-sampling path ({@code runtime.sampling:
 * counter}), with exp written out as plain arithmetic so that the same formula runs four lanes at a
 * time with the Java Vector API ({@link VectorSigmoid}) and one at a time here, giving the same bits
 * either way: Java evaluates every +, −, ×, ÷ exactly rounded and never fuses them, and the vector
 * lanes do the same operations in the same order. {@code Math.exp} is an opaque intrinsic with no
 * vector form, so a path that must vectorise cannot use it; the default sequential path keeps it
 * (and with it the bits of every result computed so far).
 *
 * <p>exp(a) for a = −|x| ≤ 0: a = n·ln2 + r with n = round(a/ln2) (by adding and subtracting
 * 1.5·2⁵², which rounds to an integer), |r| ≤ ln2/2 computed with ln2 split in two parts (Cody and
 * Waite), e^r by its Taylor polynomial of degree 12 in Horner form (truncation below 2e-16 of e^r
 * for |r| ≤ 0.347), and 2ⁿ assembled in the exponent bits. Below a = −708 (σ under 3.4e-308) the
 * exponent would leave the normal range, so e is taken as 0 there: σ(x) = 0 for x &lt; −708 and 1 for
 * x &gt; 708 (Math.exp reaches 0 only at −745; the difference is below 3.4e-308 absolute). Then
 * σ = 1/(1 + e) for x ≥ 0 and e/(1 + e) below, as {@code StableMath.sigmoid}: no overflow anywhere.
 * Relative error against the Math.exp form: a few units in the last place (PolynomialSigmoidTest).
 */
public final class PolynomialSigmoid {
    static final double LOG2E = 1.4426950408889634;
    static final double LN2_HI = 6.93147180369123816490e-01; // ln 2 to 32 bits: n·LN2_HI is exact for |n| ≤ 2^20
    static final double LN2_LO = 1.90821492927058770002e-10; // ln 2 − LN2_HI
    static final double ROUNDER = 0x1.8p52; // t + ROUNDER − ROUNDER = t rounded to an integer (|t| < 2^51)
    static final long EXPONENT_BIAS = 1023L;
    static final double LOWEST = -708.0;    // e^LOWEST ≈ 3.3e-308, still a normal double
    /** 1/k! for k = 12 down to 0: the Horner coefficients of e^r. */
    static final double[] TAYLOR = {1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800, 1.0 / 362880, 1.0 / 40320,
        1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5, 1.0, 1.0};

    private PolynomialSigmoid() {
    }

    /** σ(x) by the formula above. NaN gives NaN. */
    public static double of(double x) {
        double a = Math.max(-Math.abs(x), LOWEST);
        double shifted = a * LOG2E + ROUNDER;
        double n = shifted - ROUNDER;
        double r = (a - n * LN2_HI) - n * LN2_LO;
        double p = TAYLOR[0];
        for (int k = 1; k < TAYLOR.length; k++) {
            p = p * r + TAYLOR[k];
        }
        long exponent = Double.doubleToRawLongBits(shifted) - Double.doubleToRawLongBits(ROUNDER) + EXPONENT_BIAS;
        double e = p * Double.longBitsToDouble(exponent << 52);
        if (-Math.abs(x) < LOWEST) {
            e = 0.0;
        }
        return (x >= 0 ? 1.0 : e) / (1.0 + e);
    }

    /** x[j] = σ(x[j]) for j in [from, to). */
    static void inPlace(double[] x, int from, int to) {
        for (int j = from; j < to; j++) {
            x[j] = of(x[j]);
        }
    }

    /**
     * For j in [from, count): p = σ(pre[at + j]) into probs[at + j] (if probs is not null) and
     * u[j] &lt; p ? 1 : 0 into samples[at + j]. Each entry is read before any array is written at it.
     */
    static void sample(double[] pre, int at, double[] u, int from, int count, double[] probs, double[] samples) {
        for (int j = from; j < count; j++) {
            double p = of(pre[at + j]);
            if (probs != null) {
                probs[at + j] = p;
            }
            samples[at + j] = u[j] < p ? 1.0 : 0.0;
        }
    }
}
