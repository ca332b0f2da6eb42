package org.prunelab.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** Synthetic curves with known answers: a step is sharp, a line and a wide sigmoid are not. */
class CurveModelsTest {
    private static final double[] GRID = {0, 0.2, 0.4, 0.6, 0.7, 0.8, 0.85, 0.88, 0.9, 0.92, 0.94, 0.96, 0.98};

    private static Map<String, double[][]> seeds(DoubleUnaryOperator curve, double noise) {
        Map<String, double[][]> out = new LinkedHashMap<>();
        for (int seed = 1; seed <= 5; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            double[] y = new double[GRID.length];
            for (int i = 0; i < GRID.length; i++) {
                y[i] = curve.applyAsDouble(GRID[i]) + noise * rng.nextGaussian();
            }
            out.put("seed" + seed, new double[][] {GRID.clone(), y});
        }
        return out;
    }

    @Test
    void aStepIsCalledSharp() {
        CurveModels.Result r = CurveModels.compare(seeds(x -> x < 0.89 ? -170 : -208, 1.0), 0.1, 7, 40);
        assertEquals("logistic", r.best());
        assertTrue(r.deltaToNextSmooth() >= CurveModels.DELTA_AIC, "delta " + r.deltaToNextSmooth());
        assertEquals(0.89, r.centre(), 0.02);
        assertTrue(r.widthHigh() <= 0.1, "width interval upper end " + r.widthHigh());
        assertEquals("sharp", r.verdict());
    }

    @Test
    void aLineIsNotCalledSharp() {
        CurveModels.Result r = CurveModels.compare(seeds(x -> -170 - 40 * x, 1.0), 0.1, 7, 40);
        assertNotEquals("logistic", r.best());
        assertEquals("not sharp", r.verdict());
    }

    @Test
    void aWideSigmoidIsNotCalledSharpEvenWhenTheLogisticFitsBest() {
        // 10-90 % width 2 ln 9 * 0.15 = 0.66: a logistic shape, but no sharp collapse.
        CurveModels.Result r = CurveModels.compare(
                seeds(x -> -170 - 40 * (1 - TransitionFit.sigmoid(-(x - 0.6) / 0.15)), 0.3), 0.1, 7, 40);
        assertNotEquals("sharp", r.verdict());
        assertTrue(r.width() > 0.3, "width " + r.width());
    }

    @Test
    void theWidthIsEstimatedOffTheFitGridSoItsIntervalDoesNotCollapseOntoOneGridValue() {
        // True 10-90 % width 2 ln 9 * 0.04 = 0.176, between two points of the width grid (19 % apart).
        double w = 0.04;
        CurveModels.Result r = CurveModels.compare(
                seeds(x -> -170 - 40 * (1 - TransitionFit.sigmoid(-(x - 0.75) / w)), 0.5), 0.1, 7, 100);
        double trueWidth = 2 * Math.log(9) * w;
        assertEquals(trueWidth, r.width(), 0.1 * trueWidth, "point estimate");
        assertTrue(r.widthLow() < r.widthHigh(), "an interval, not a point: [" + r.widthLow() + ", " + r.widthHigh() + "]");
        assertTrue(r.widthLow() <= r.width() && r.width() <= r.widthHigh(),
                "[" + r.widthLow() + ", " + r.widthHigh() + "] should hold the estimate " + r.width());
    }

    @Test
    void polynomialAndHingeFitsAreExactOnTheirOwnShapes() {
        double[] x = {0, 0.1, 0.3, 0.5, 0.6, 0.9};
        double[] quad = new double[x.length];
        double[] hinge = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            quad[i] = 3 - 2 * x[i] + 5 * x[i] * x[i];
            hinge[i] = 1 + 2 * x[i] - 10 * Math.max(0, x[i] - 0.45);
        }
        assertEquals(0.0, CurveModels.polynomialSse(x, quad, 2), 1e-9);
        assertTrue(CurveModels.polynomialSse(x, quad, 1) > 0.01);
        assertEquals(0.0, CurveModels.hingeSse(x, hinge), 1e-3);
    }

    @Test
    void tooFewDistinctSparsitiesIsAClearError() {
        Map<String, double[][]> s = Map.of("1", new double[][] {{0, 0.5, 0.9, 0.95}, {1, 2, 3, 4}});
        assertThrows(IllegalArgumentException.class, () -> CurveModels.compare(s, 0.1, 1));
    }
}
