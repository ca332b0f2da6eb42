package org.prunelab.stages.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.core.StableMath;

/**
 * The counter path's sigmoid: close to the Math.exp form everywhere, exact at the points that matter
 * (0, saturation, NaN), and the same bits on the Vector API path as on the scalar one, including the
 * tails of ranges that do not fill a vector. Surefire runs with the incubator module, so both paths
 * are there to compare.
 */
class PolynomialSigmoidTest {

    @Test
    void agreesWithTheMathExpSigmoidToAFewUlps() {
        SplittableRandom rng = new SplittableRandom(3);
        double worstUlps = 0.0;
        for (int i = 0; i < 1_000_000; i++) {
            double x = i % 2 == 0 ? rng.nextGaussian() * 6 : (rng.nextDouble() * 2 - 1) * 700;
            double expected = StableMath.sigmoid(x), got = PolynomialSigmoid.of(x);
            double ulps = Math.abs(got - expected) / Math.ulp(expected);
            worstUlps = Math.max(worstUlps, ulps);
            assertTrue(ulps <= 8, "sigmoid(" + x + ") = " + got + ", Math.exp form " + expected + ": " + ulps + " ulps");
        }
        assertTrue(worstUlps > 0, "identical to Math.exp everywhere: is the polynomial really used?");
    }

    @Test
    void exactAtZeroSaturatedFarOutAndNanForNan() {
        assertEquals(0.5, PolynomialSigmoid.of(0.0));
        assertEquals(0.5, PolynomialSigmoid.of(-0.0));
        assertEquals(1.0, PolynomialSigmoid.of(40.0));
        assertEquals(1.0, PolynomialSigmoid.of(1e308));
        assertEquals(1.0, PolynomialSigmoid.of(Double.POSITIVE_INFINITY));
        assertEquals(0.0, PolynomialSigmoid.of(-708.5));
        assertEquals(0.0, PolynomialSigmoid.of(Double.NEGATIVE_INFINITY));
        double justAbove = PolynomialSigmoid.of(-707.0);
        assertTrue(justAbove > 0 && justAbove < 1e-306, "sigmoid(-707) = " + justAbove);
        assertTrue(Double.isNaN(PolynomialSigmoid.of(Double.NaN)));
    }

    @Test
    void vectorPathHasTheScalarBitsIncludingTails() {
        assertTrue(VectorSigmoid.lanes() >= 2, "surefire runs with jdk.incubator.vector; lanes " + VectorSigmoid.lanes());
        SplittableRandom rng = new SplittableRandom(11);
        double[] x = new double[1031];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian() * (i % 7 == 0 ? 300 : 5);
        }
        double[] specials = {0.0, -0.0, 708.0, -708.0, -708.5, 709.0, -745.0, 1e308, -1e308, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE};
        System.arraycopy(specials, 0, x, 100, specials.length);
        for (int[] range : new int[][] {{0, x.length}, {3, 10}, {5, 6}, {97, 1030}, {1, 2}}) {
            double[] vector = x.clone(), scalar = x.clone();
            VectorSigmoid.inPlace(vector, range[0], range[1]);
            PolynomialSigmoid.inPlace(scalar, range[0], range[1]);
            for (int j = 0; j < x.length; j++) {
                assertEquals(Double.doubleToRawLongBits(scalar[j]), Double.doubleToRawLongBits(vector[j]),
                        "range " + range[0] + ".." + range[1] + ", entry " + j + " (x = " + x[j] + ")");
            }
        }
        double[] u = new double[x.length];
        for (int j = 0; j < u.length; j++) {
            u[j] = rng.nextDouble();
        }
        for (int[] part : new int[][] {{0, 1031}, {7, 64}, {100, 14}}) {
            int at = part[0], count = part[1];
            double[] vp = new double[x.length], vs = new double[x.length], sp = new double[x.length], ss = new double[x.length];
            VectorSigmoid.sample(x, at, u, count, vp, vs);
            PolynomialSigmoid.sample(x, at, u, 0, count, sp, ss);
            for (int j = 0; j < x.length; j++) {
                assertEquals(Double.doubleToRawLongBits(sp[j]), Double.doubleToRawLongBits(vp[j]), "probability " + j);
                assertEquals(ss[j], vs[j], "sample " + j);
            }
            double ones = 0;
            for (int j = at; j < at + count; j++) {
                ones += ss[j];
                assertEquals(u[j - at] < sp[j] ? 1.0 : 0.0, ss[j], "sample " + j + " is u < p");
            }
            assertTrue(count < 20 || (ones > 0 && ones < count), "samples all equal over " + count + " entries");
        }
    }
}
