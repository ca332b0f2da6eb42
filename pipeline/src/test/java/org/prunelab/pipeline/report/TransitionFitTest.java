package org.prunelab.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransitionFitTest {
    private static double[][] series(double centre, double width, double noise, long seed, double... xs) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] y = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            y[i] = -100 - 60 * (1 - TransitionFit.sigmoid(-(xs[i] - centre) / width)) + noise * (rng.nextDouble() - 0.5);
        }
        return new double[][] {xs, y};
    }

    @Test
    void recoversTheCentreOfANoiselessStep() {
        double[][] s = series(0.91, 0.01, 0, 1, 0, 0.2, 0.4, 0.6, 0.8, 0.85, 0.88, 0.9, 0.92, 0.94, 0.96, 0.99);
        TransitionFit.Curve curve = TransitionFit.fit(s[0], s[1]);
        assertEquals(0.91, curve.centre(), 0.004);
        assertEquals(-100, curve.high(), 0.5);
        assertEquals(-160, curve.low(), 0.5);
    }

    /** A seed measured only at refinement points (transition.seeds) has no curve of its own and is left out. */
    @Test
    void pooledLeavesOutSeriesTooShortForACurveAndRefusesWhenNoneIsLongEnough() {
        double[] grid = {0, 0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 0.99};
        Map<String, double[][]> full = new LinkedHashMap<>();
        for (int seed = 1; seed <= 3; seed++) {
            full.put("seed" + seed, series(0.926, 0.01, 6, seed, grid));
        }
        Map<String, double[][]> withShort = new LinkedHashMap<>(full);
        withShort.put("seed9", series(0.926, 0.01, 6, 9, new double[] {0.92, 0.93, 0.94}));
        assertEquals(TransitionFit.pooled(full, 7), TransitionFit.pooled(withShort, 7));
        assertTrue(TransitionFit.anyFittable(withShort));
        Map<String, double[][]> onlyShort = Map.of("seed9", withShort.get("seed9"));
        assertFalse(TransitionFit.anyFittable(onlyShort));
        assertThrows(IllegalArgumentException.class, () -> TransitionFit.pooled(onlyShort, 7));
    }

    @Test
    void pooledIntervalCoversTheTruthAndShrinksWithDenserPoints() {
        double[] coarse = {0, 0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 0.99};
        double[] fine = {0, 0.2, 0.4, 0.6, 0.8, 0.86, 0.88, 0.9, 0.91, 0.92, 0.93, 0.94, 0.95, 0.97, 0.99};
        Map<String, double[][]> a = new LinkedHashMap<>();
        Map<String, double[][]> b = new LinkedHashMap<>();
        for (int seed = 1; seed <= 3; seed++) {
            // One true critical value; only measurement noise differs between seeds.
            a.put("seed" + seed, series(0.926, 0.01, 6, seed, coarse));
            b.put("seed" + seed, series(0.926, 0.01, 6, seed, fine));
        }
        TransitionFit.Result ra = TransitionFit.pooled(a, 7);
        TransitionFit.Result rb = TransitionFit.pooled(b, 7);
        assertTrue(ra.lower() <= 0.926 && 0.926 <= ra.upper(), ra.toString());
        assertTrue(rb.lower() <= 0.926 && 0.926 <= rb.upper(), rb.toString());
        assertTrue(rb.width() < ra.width(), "denser sampling near the step must narrow the interval: " + ra + " vs " + rb);
        assertEquals(ra, TransitionFit.pooled(a, 7), "deterministic for a seed");
    }

    @Test
    void proposalsFallInsideTheIntervalAndSkipKnownValues() {
        TransitionFit.Result r = new TransitionFit.Result(0.9, 0.85, 0.95, Map.of(), 0);
        List<Double> p = TransitionFit.proposals(r, List.of(0.875, 0.9), 3, 0, 0.999);
        assertEquals(List.of(0.925), p);
        List<Double> q = TransitionFit.proposals(r, List.of(0.8), 4, 0, 0.999);
        assertEquals(List.of(0.87, 0.89, 0.91, 0.93), q);
    }
}
