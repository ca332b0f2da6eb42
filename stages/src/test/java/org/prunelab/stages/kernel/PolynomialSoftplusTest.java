package org.prunelab.stages.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.core.StableMath;

/**
 * The exact log-partition's softplus: within a few 1e-16 of the Math.log1p form everywhere, exact
 * where it must be (large |x|, NaN), the fixed addition order of its sum, and the same bits on the
 * Vector API path as on the scalar one, tails included.
 */
class PolynomialSoftplusTest {

    @Test
    void agreesWithTheMathLog1pFormToAFewUnitsOf1eMinus16() {
        SplittableRandom rng = new SplittableRandom(5);
        double worst = 0.0;
        for (int i = 0; i < 1_000_000; i++) {
            double x = switch (i % 3) {
                case 0 -> rng.nextGaussian() * 4;
                case 1 -> (rng.nextDouble() * 2 - 1) * 60;
                default -> (rng.nextDouble() * 2 - 1) * 1500;
            };
            double expected = StableMath.softplus(x), got = PolynomialSoftplus.of(x);
            // absolute error, in units of the last place of the log1p part (at most ln 2)
            double error = Math.abs(got - expected) / Math.max(Math.ulp(expected), Math.ulp(1.0));
            worst = Math.max(worst, error);
            assertTrue(error <= 8, "softplus(" + x + ") = " + got + ", Math.log1p form " + expected + ": " + error);
        }
        assertTrue(worst > 0, "identical to Math.log1p everywhere: is the polynomial really used?");
    }

    @Test
    void exactFarOutAndNanForNan() {
        assertEquals(Math.log(2.0), PolynomialSoftplus.of(0.0), 2 * Math.ulp(1.0));
        assertEquals(800.0, PolynomialSoftplus.of(800.0));
        assertEquals(0.0, PolynomialSoftplus.of(-800.0));
        assertEquals(0.0, PolynomialSoftplus.of(Double.NEGATIVE_INFINITY));
        assertEquals(Double.POSITIVE_INFINITY, PolynomialSoftplus.of(Double.POSITIVE_INFINITY));
        double tiny = PolynomialSoftplus.of(-700.0);
        assertEquals(Math.exp(-700.0), tiny, 1e-15 * Math.exp(-700.0), "log(1 + e) ≈ e for tiny e: the lost part is kept");
        assertTrue(Double.isNaN(PolynomialSoftplus.of(Double.NaN)));
    }

    @Test
    void sumAddsInItsFixedOrder() {
        double[] x = {0.5, -1.0, 2.0, 3.0, -4.0, 7.0, 0.25, 9.0, -0.5, 1.5, 30.0};
        for (int[] range : new int[][] {{0, 11}, {1, 11}, {2, 5}, {3, 3}}) {
            int from = range[0], to = range[1];
            double[] s = new double[4];
            int j = from;
            for (; j + 4 <= to; j += 4) {
                for (int lane = 0; lane < 4; lane++) {
                    s[lane] += PolynomialSoftplus.of(x[j + lane]);
                }
            }
            double expected = (s[0] + s[1]) + (s[2] + s[3]);
            for (; j < to; j++) {
                expected += PolynomialSoftplus.of(x[j]);
            }
            assertEquals(Double.doubleToLongBits(expected),
                    Double.doubleToLongBits(PolynomialSoftplus.sumScalar(x, from, to)), from + ".." + to);
            assertEquals(Double.doubleToLongBits(expected),
                    Double.doubleToLongBits(PolynomialSoftplus.sum(x, from, to)), from + ".." + to);
        }
    }

    @Test
    void vectorPathHasTheScalarBitsIncludingTailsAndSpecialValues() { // NaN: any NaN (its sign is not defined)
        assertEquals(4, VectorSoftplus.lanes());
        SplittableRandom rng = new SplittableRandom(13);
        double[] x = new double[1031];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian() * (i % 7 == 0 ? 300 : 5);
        }
        double[] specials = {0.0, -0.0, 708.0, -708.0, -708.5, 709.0, -745.0, 1e308, -1e308, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE, 0.8813735870195430,
            -0.8813735870195430};
        System.arraycopy(specials, 0, x, 100, specials.length);
        for (int[] range : new int[][] {{0, 100}, {3, 10}, {5, 6}, {97, 1030}, {1, 2}, {100, 116}, {101, 111}}) {
            long scalar = Double.doubleToLongBits(PolynomialSoftplus.sumScalar(x, range[0], range[1]));
            long vector = Double.doubleToLongBits(VectorSoftplus.sum(x, range[0], range[1]));
            assertEquals(scalar, vector, "range " + range[0] + ".." + range[1]);
        }
        for (int j = 0; j < x.length; j++) {
            // entry by entry: a one-entry block of four would hide a lane that differs
            double[] four = {x[j], x[j], x[j], x[j]};
            assertEquals(Double.doubleToLongBits(PolynomialSoftplus.sumScalar(four, 0, 4)),
                    Double.doubleToLongBits(VectorSoftplus.sum(four, 0, 4)), "x = " + x[j]);
        }
    }
}
