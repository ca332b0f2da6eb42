package org.prunelab.stages.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StableMathTest {

    @Test
    void tanhAgreesWithFdlibmToTheLastBitOrTwo() {
        SplittableRandom rng = new SplittableRandom(11);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            // wide (activations) and narrow (near 0, where 1 − 2/(e+1) cancels) ranges both
            double x = i % 2 == 0 ? rng.nextDouble(-30, 30) : rng.nextDouble(-1e-3, 1e-3);
            worst = Math.max(worst, Math.abs(StableMath.tanh(x) - StrictMath.tanh(x)));
        }
        assertTrue(worst <= 2.3e-16, "largest absolute difference from StrictMath.tanh: " + worst);
    }

    @Test
    void tanhIsOddSaturatesAndPropagatesNaN() {
        for (double x : new double[] {0.1, 1.0, 5.0, 21.9, 22.1, 700.0}) {
            assertEquals(-StableMath.tanh(x), StableMath.tanh(-x), 0.0, "odd at " + x);
        }
        assertEquals(1.0, StableMath.tanh(22.5), 0.0);
        assertEquals(-1.0, StableMath.tanh(Double.NEGATIVE_INFINITY), 0.0);
        assertEquals(0.0, StableMath.tanh(0.0), 0.0);
        assertTrue(Double.isNaN(StableMath.tanh(Double.NaN)));
    }
}
