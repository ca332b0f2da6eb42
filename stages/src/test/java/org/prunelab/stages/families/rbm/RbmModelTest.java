package org.prunelab.stages.families.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.prune.Masks;

class RbmModelTest {
    @Test
    void constructorValidatesLengthsAndTheMaskInvariant() {
        byte[] mask = {1, 0, 1, 1, 1, 1};
        assertThrows(IllegalArgumentException.class, () -> new Rbm(2, 3, new double[5], new double[2], new double[3], mask));
        assertThrows(IllegalArgumentException.class, () -> new Rbm(2, 3, new double[6], new double[3], new double[3], mask));
        double[] w = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Rbm(2, 3, w, new double[2], new double[3], mask));
        assertEquals(true, e.getMessage().contains("w[1]"), e.getMessage());
        w[1] = 0.0;
        Rbm rbm = new Rbm(2, 3, w, new double[2], new double[3], mask);
        assertEquals(5, rbm.connections());
        assertEquals(1.0 / 6, rbm.sparsity(), 1e-15);
    }

    @Test
    void initialiseFollowsHintonsGuide() {
        double[] means = new double[100];
        for (int i = 0; i < 100; i++) {
            means[i] = i / 99.0; // includes 0 and 1, which must be clipped
        }
        Rbm rbm = Rbm.initialise(100, 200, means, 0.01, new SplittableRandom(1));
        assertEquals(Math.log(1e-3 / (1 - 1e-3)), rbm.a[0], 1e-12);
        assertEquals(-Math.log(1e-3 / (1 - 1e-3)), rbm.a[99], 1e-12);
        assertEquals(Math.log(means[30] / (1 - means[30])), rbm.a[30], 1e-12);
        assertArrayEquals(new double[200], rbm.b, 0.0);
        assertEquals(0.0, rbm.sparsity());
        double sum = 0, sq = 0;
        for (double x : rbm.w) {
            sum += x;
            sq += x * x;
        }
        int size = rbm.w.length;
        assertEquals(0.0, sum / size, 3e-4);                 // 5 standard errors of the mean
        assertEquals(0.01, Math.sqrt(sq / size), 0.01 * 0.02);
        assertArrayEquals(rbm.w, Rbm.initialise(100, 200, means, 0.01, new SplittableRandom(1)).w, 0.0);
    }

    @Test
    void withMaskZeroesPrunedWeightsAndKeepsBiases() {
        Rbm rbm = Rbm.initialise(10, 8, new double[10], 0.1, new SplittableRandom(2));
        byte[] mask = Masks.random(80, 0.6, new SplittableRandom(3));
        Rbm masked = rbm.withMask(mask);
        for (int j = 0; j < 80; j++) {
            assertEquals(mask[j] == 0 ? 0.0 : rbm.w[j], masked.w[j], 0.0);
        }
        assertArrayEquals(rbm.a, masked.a, 0.0);
        assertArrayEquals(rbm.b, masked.b, 0.0);
        assertEquals(0.6, masked.sparsity(), 1e-15);
        Rbm copy = masked.copy();
        assertNotSame(masked.w, copy.w);
        copy.w[0] = 42;
        assertEquals(mask[0] == 0 ? 0.0 : rbm.w[0], masked.w[0], 0.0);
    }
}
