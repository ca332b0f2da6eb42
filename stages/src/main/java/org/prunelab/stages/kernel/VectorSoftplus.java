package org.prunelab.stages.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PolynomialSoftplus#sum} four lanes at a time with the Java Vector API (loaded only when
 * {@link ElementwisePath} found the module). Always 256-bit vectors, even where wider ones exist: the
 * four lanes are the four running sums of the fixed addition order, so the bits do not depend on the
 * machine's vector width. Each lane does {@link PolynomialSoftplus#of}'s operations in the same order.
 */
final class VectorSoftplus {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_256;
    private static final long ROUNDER_BITS = Double.doubleToRawLongBits(PolynomialSigmoid.ROUNDER);

    private VectorSoftplus() {
    }

    static int lanes() {
        return SPECIES.length();
    }

    static double sum(double[] x, int from, int to) {
        DoubleVector sums = DoubleVector.zero(SPECIES);
        int j = from;
        for (; j + 4 <= to; j += 4) {
            sums = sums.add(softplus(DoubleVector.fromArray(SPECIES, x, j)));
        }
        double[] s = sums.toArray();
        double total = (s[0] + s[1]) + (s[2] + s[3]);
        for (; j < to; j++) {
            total += PolynomialSoftplus.of(x[j]);
        }
        return total;
    }

    /** PolynomialSoftplus.of, lane by lane. */
    private static DoubleVector softplus(DoubleVector x) {
        DoubleVector negAbs = x.abs().neg();
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
        DoubleVector e = p.mul((DoubleVector) exponent.viewAsFloatingLanes()).blend(0.0, underflows);
        DoubleVector y = e.add(1.0);
        DoubleVector lost = e.sub(y.sub(1.0));
        VectorMask<Double> high = y.compare(VectorOperators.GT, PolynomialSoftplus.SQRT2);
        DoubleVector m = y.blend(y.mul(0.5), high);
        DoubleVector s = m.sub(1.0).div(m.add(1.0));
        DoubleVector s2 = s.mul(s);
        double[] atanh = PolynomialSoftplus.ATANH;
        DoubleVector q = DoubleVector.broadcast(SPECIES, atanh[0]);
        for (int k = 1; k < atanh.length; k++) {
            q = q.mul(s2).add(atanh[k]);
        }
        DoubleVector log = DoubleVector.zero(SPECIES).blend(PolynomialSoftplus.LN2, high)
                .add(s.mul(2.0).mul(q)).add(lost.div(y));
        return x.max(0.0).add(log);
    }
}
