package org.prunelab.stages.numeric;

/**
 * The one scalar logistic sigmoid σ(x) = 1 / (1 + e^{−x}) of the stages module, computed so that exp
 * is only ever taken of a non-positive number (no overflow; σ of a large negative x is a tiny
 * positive number or 0, never a 0/0).
 *
 * <p>Why its own package: {@code core.StableMath.sigmoid} (the model families) and
 * {@code kernel.SigmoidBernoulli} (the parallel Gibbs step) must compute the same bits, and
 * {@code core} depends on {@code kernel} (MaskedGroup is a MaskedDense), so the formula can live in
 * neither without a package cycle. {@code linalg} (dense products) and {@code random} (Philox draws)
 * would both be reachable but are about other things; {@code numeric} holds scalar numerics that
 * depend on nothing, and every package may use it.
 */
public final class Logistic {
    private Logistic() {
    }

    /** σ(x): NaN for NaN, exactly 0.5 at ±0, 1.0 for x above about 37, 0.0 below about −745. */
    public static double of(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }
}
