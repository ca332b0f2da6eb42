package org.prunelab.stages.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Logistic#of} against the plain textbook formula 1 / (1 + e^{−x}): the same bits where the
 * two formulas are the same (x ≥ 0), within a few ulps where they are not, and the values the
 * callers rely on at 0, at large |x| (where the textbook formula overflows) and for NaN.
 */
class LogisticTest {

    private static double textbook(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    @Test
    void nonNegativeArgumentsHaveTheBitsOfTheTextbookFormula() {
        SplittableRandom rng = new SplittableRandom(17);
        for (int i = 0; i < 100_000; i++) {
            double x = rng.nextDouble() * (i % 2 == 0 ? 20.0 : 800.0);
            if (Double.doubleToRawLongBits(Logistic.of(x)) != Double.doubleToRawLongBits(textbook(x))) {
                fail("sigma(" + x + ") = " + Logistic.of(x) + ", textbook " + textbook(x));
            }
        }
    }

    @Test
    void negativeArgumentsAgreeWithTheTextbookFormulaToAFewUlps() {
        SplittableRandom rng = new SplittableRandom(18);
        for (int i = 0; i < 100_000; i++) {
            double x = -rng.nextDouble() * (i % 2 == 0 ? 20.0 : 700.0);
            double expected = textbook(x);
            double got = Logistic.of(x);
            if (Math.abs(got - expected) > 4 * Math.ulp(expected)) {
                fail("sigma(" + x + ") = " + got + ", textbook " + expected);
            }
        }
    }

    @Test
    void zeroLargeArgumentsAndNaN() {
        assertEquals(0.5, Logistic.of(0.0));
        assertEquals(0.5, Logistic.of(-0.0));
        assertEquals(1.0, Logistic.of(38.0));
        assertEquals(1.0, Logistic.of(Double.MAX_VALUE));
        assertEquals(1.0, Logistic.of(Double.POSITIVE_INFINITY));
        // Where e^{-x} overflows the textbook formula gives 0; σ is still e^x there, down to the smallest double.
        assertEquals(0.0, textbook(-745.0));
        assertEquals(Math.exp(-745.0), Logistic.of(-745.0));
        assertTrue(Logistic.of(-745.0) > 0.0);
        assertEquals(Math.exp(-720.0), Logistic.of(-720.0));
        assertEquals(0.0, Logistic.of(-746.0));
        assertEquals(0.0, Logistic.of(-Double.MAX_VALUE));
        assertEquals(0.0, Logistic.of(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(Logistic.of(Double.NaN)));
    }
}
