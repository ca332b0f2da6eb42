package org.prunelab.stages.families.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConvergenceCriterionTest {
    private final ConvergenceCriterion criterion = new ConvergenceCriterion(5, 2.0);

    @Test
    void aSettledCurveConverges() {
        double[] pll = {-208, -190, -175, -168, -165, -164.2, -164.0, -164.5, -163.9, -164.1, -164.0};
        ConvergenceCriterion.Verdict v = criterion.assess(pll);
        assertTrue(v.converged(), v.toString());
        assertEquals(0.6, v.range(), 1e-9); // last 6 values: -164.5 .. -163.9
        assertEquals(-164.0 - -164.2, v.change(), 1e-9);
        assertEquals(11, v.epochs());
        assertEquals(1.0, v.asMetrics().get("converged"));
    }

    @Test
    void swingsLargerThanTheThresholdAreNotConverged() {
        // The dense run: a 12.8-nat swing in the last epochs, ending where it started.
        double[] pll = {-206.7, -200.1, -184.5, -176.9, -172.4, -182.9, -174.8, -173.2, -170.1, -171.6};
        ConvergenceCriterion.Verdict v = criterion.assess(pll);
        assertFalse(v.converged());
        assertEquals(12.8, v.range(), 1e-9); // -170.1 - -182.9
        assertEquals(0.0, v.asMetrics().get("converged"));
    }

    @Test
    void aSteadyClimbIsNotConvergedEvenWithASmallWindowRange() {
        // 0.35 nats per epoch: range and |slope|·window are 1.75 <= 2, within the threshold; 0.45 per epoch is not.
        double[] slow = {-180, -179.65, -179.3, -178.95, -178.6, -178.25};
        assertTrue(criterion.assess(slow).converged());
        double[] climbing = new double[12];
        for (int e = 0; e < climbing.length; e++) {
            climbing[e] = -200 + 0.45 * e;
        }
        ConvergenceCriterion.Verdict v = new ConvergenceCriterion(5, 2.0).assess(climbing);
        assertEquals(0.45, v.slope(), 1e-9);
        assertFalse(v.converged(), "range " + v.range() + " and slope*window " + 5 * v.slope() + " exceed 2");
    }

    @Test
    void tooFewEpochsIsNotConvergedAndLogsNoNaN() {
        ConvergenceCriterion.Verdict v = criterion.assess(new double[] {-170, -170, -170});
        assertFalse(v.converged());
        assertFalse(v.asMetrics().containsKey("convergence.range"));
        assertEquals(3.0, v.asMetrics().get("convergence.epochs"));
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ConvergenceCriterion(0, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new ConvergenceCriterion(3, 0.0));
    }

    @Test
    void readsAColumnOfATrainingHistory() {
        double[] col = ConvergenceCriterion.column(List.of(Map.of("pll", -1.5), Map.of("pll", -1.0)), "pll");
        assertEquals(-1.0, col[1]);
    }
}
