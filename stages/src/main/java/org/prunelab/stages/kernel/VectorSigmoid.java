package org.prunelab.stages.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PolynomialSigmoid} over whole vectors with the Java Vector API (the incubator module
 * {@code jdk.incubator.vector}, present only when the JVM runs with {@code --add-modules
 * jdk.incubator.vector}; {@link ElementwisePath} decides, and this class is loaded only then). The same
 * operations in the same order as the scalar formula, lane by lane, so the same bits; the tail of a
 * range that does not fill a vector runs the scalar formula.
 */
final class VectorSigmoid {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final long ROUNDER_BITS = Double.doubleToRawLongBits(PolynomialSigmoid.ROUNDER);

    private VectorSigmoid() {
    }

    static int lanes() {
        return LANES;
    }

    static void inPlace(double[] x, int from, int to) {
        int j = from;
        for (int end = to - LANES; j <= end; j += LANES) {
            sigmoid(DoubleVector.fromArray(SPECIES, x, j)).intoArray(x, j);
        }
        PolynomialSigmoid.inPlace(x, j, to);
    }

    static void sample(double[] pre, int at, double[] u, int count, double[] probs, double[] samples) {
        int j = 0;
        for (int end = count - LANES; j <= end; j += LANES) {
            DoubleVector p = sigmoid(DoubleVector.fromArray(SPECIES, pre, at + j));
            if (probs != null) {
                p.intoArray(probs, at + j);
            }
            VectorMask<Double> on = DoubleVector.fromArray(SPECIES, u, j).compare(VectorOperators.LT, p);
            DoubleVector.zero(SPECIES).blend(1.0, on).intoArray(samples, at + j);
        }
        PolynomialSigmoid.sample(pre, at, u, j, count, probs, samples);
    }

    /** PolynomialSigmoid.of, lane by lane. */
    private static DoubleVector sigmoid(DoubleVector x) {
        DoubleVector negAbs = x.abs().neg();
        // max(negAbs, LOWEST) as a blend: the same value for every input (NaN stays NaN), one compare shared
        // with the underflow test below.
        VectorMask<Double> underflows = negAbs.compare(VectorOperators.LT, PolynomialSigmoid.LOWEST);
        DoubleVector a = negAbs.blend(PolynomialSigmoid.LOWEST, underflows);
        DoubleVector shifted = a.mul(PolynomialSigmoid.LOG2E).add(PolynomialSigmoid.ROUNDER);
        DoubleVector n = shifted.sub(PolynomialSigmoid.ROUNDER);
        DoubleVector r = a.sub(n.mul(PolynomialSigmoid.LN2_HI)).sub(n.mul(PolynomialSigmoid.LN2_LO));
        double[] taylor = PolynomialSigmoid.TAYLOR;
        DoubleVector p = DoubleVector.broadcast(SPECIES, taylor[0]);
        for (int k = 1; k < taylor.length; k++) {
            p = p.mul(r).add(taylor[k]);
        }
        LongVector exponent = ((LongVector) shifted.viewAsIntegralLanes())
                .sub(ROUNDER_BITS - PolynomialSigmoid.EXPONENT_BIAS)
                .lanewise(VectorOperators.LSHL, 52);
        DoubleVector e = p.mul((DoubleVector) exponent.viewAsFloatingLanes());
        e = e.blend(0.0, underflows);
        DoubleVector numerator = e.blend(1.0, x.compare(VectorOperators.GE, 0.0));
        return numerator.div(e.add(1.0));
    }
}
