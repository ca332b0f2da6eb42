package org.prunelab.stages.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PercentileTest {
    @Test
    void matchesNumpyLinearInterpolation() {
        double[] a = {4, 1, 3, 2}; // unsorted on purpose
        assertEquals(1.75, Percentile.of(a, 4, 25), 0.0);   // numpy.percentile([1,2,3,4], 25)
        assertEquals(2.5, Percentile.of(a, 4, 50), 0.0);
        assertEquals(3.25, Percentile.of(a, 4, 75), 0.0);
        assertEquals(1.0, Percentile.of(a, 4, 0), 0.0);
        assertEquals(4.0, Percentile.of(a, 4, 100), 0.0);
        // numpy.percentile([0.1, 0.2, 0.5, 1, 2, 3, 4, 6], 25) = 0.425 (index 1.75)
        assertEquals(0.425, Percentile.of(new double[] {0.1, 0.2, 0.5, 1, 2, 3, 4, 6}, 8, 25), 1e-15);
        assertEquals(7.0, Percentile.of(new double[] {7}, 1, 40), 0.0);
        assertEquals(4.0, a[0], 0.0); // input untouched
        assertThrows(IllegalArgumentException.class, () -> Percentile.of(a, 4, 101));
        assertThrows(IllegalArgumentException.class, () -> Percentile.of(a, 0, 50));
    }
}
