package org.prunelab.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CouplingAgreementTest {
    /** A symmetric 3x3 J with zero diagonal from its three upper-triangle values. */
    private static double[] j(double a, double b, double c) {
        return new double[] {0, a, b, a, 0, c, b, c, 0};
    }

    @Test
    void identicalCouplingsAgreePerfectly() {
        double[] r = CouplingAgreement.agreement(j(1, 2, 4), j(1, 2, 4));
        assertEquals(1.0, r[0], 1e-12);
        assertEquals(0.0, r[1], 1e-12);
    }

    @Test
    void scaledCouplingsCorrelateButAreFarApart() {
        // Half the couplings: r = 1, distance = |0.5 - 1| = 0.5 of the dense norm.
        double[] r = CouplingAgreement.agreement(j(0.5, 1, 2), j(1, 2, 4));
        assertEquals(1.0, r[0], 1e-12);
        assertEquals(0.5, r[1], 1e-12);
        // Reversed order (4,2,1) vs (1,2,4): deviations ±5/3, −1/3, ∓4/3 give r = −39/42.
        double[] rev = CouplingAgreement.agreement(j(4, 2, 1), j(1, 2, 4));
        assertEquals(-39.0 / 42.0, rev[0], 1e-12);
    }

    @Test
    void mismatchedShapesAreAnError() {
        assertThrows(IllegalArgumentException.class, () -> CouplingAgreement.agreement(new double[9], new double[4]));
    }
}
