package org.prunelab.stages.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Back-propagation through time against central finite differences, for every cell, dense and
 * masked, both readouts, on a two-layer stack with different layer widths and a padded batch.
 */
class RecurrentGradientTest {
    private static final String[] BATCH = {"BTXSE", "BPVVPXTTVVE", "BTSE"};
    private static final int[] LABELS = {1, 0, 1};

    @ParameterizedTest
    @EnumSource(CellType.class)
    void denseGradientsMatchFiniteDifferences(CellType cell) {
        for (Readout readout : Readout.values()) {
            check(model(cell, readout, 0.0, 1), cell + "/" + readout + " dense");
        }
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void maskedGradientsMatchFiniteDifferencesAndAreZeroWherePruned(CellType cell) {
        RecurrentClassifier m = model(cell, Readout.LAST_STEP, 0.4, 2);
        check(m, cell + " masked");
        for (RecurrentLayer layer : m.layers()) {
            for (Parameter p : new Parameter[] {layer.inputWeights(), layer.recurrentWeights()}) {
                int pruned = 0;
                for (int i = 0; i < p.size(); i++) {
                    if (p.mask()[i] == 0) {
                        pruned++;
                        assertEquals(0.0, p.grad()[i], p.name() + "[" + i + "] is pruned: its gradient must be exactly 0");
                        assertEquals(0.0, p.value()[i]);
                    }
                }
                assertTrue(pruned > 0, p.name() + " should have pruned entries in this test");
            }
        }
    }

    private static RecurrentClassifier model(CellType cell, Readout readout, double pruneShare, long seed) {
        RecurrentClassifier m = new RecurrentClassifier(cell, 4, new int[] {3, 2}, 2, readout);
        SplittableRandom rng = new SplittableRandom(seed);
        m.initialise(rng);
        // Larger weights than the default init, so that gates saturate partly and every path matters.
        for (Parameter p : m.parameters()) {
            for (int i = 0; i < p.size(); i++) {
                p.value()[i] *= 2.5;
            }
        }
        if (pruneShare > 0) {
            for (RecurrentLayer layer : m.layers()) {
                for (Parameter p : new Parameter[] {layer.inputWeights(), layer.recurrentWeights()}) {
                    byte[] mask = new byte[p.size()];
                    for (int i = 0; i < mask.length; i++) {
                        mask[i] = (byte) (rng.nextDouble() < pruneShare ? 0 : 1);
                    }
                    mask[0] = 0;
                    p.setMask(mask);
                }
            }
        }
        m.zeroGradients();
        m.lossAndGradients(BATCH, LABELS);
        return m;
    }

    private static void check(RecurrentClassifier m, String what) {
        double eps = 1e-6;
        int checked = 0;
        for (Parameter p : m.parameters()) {
            double[] grad = p.grad().clone();
            for (int i = 0; i < p.size(); i++) {
                if (p.mask() != null && p.mask()[i] == 0) {
                    continue;
                }
                double v = p.value()[i];
                p.value()[i] = v + eps;
                double up = m.loss(BATCH, LABELS);
                p.value()[i] = v - eps;
                double down = m.loss(BATCH, LABELS);
                p.value()[i] = v;
                double numeric = (up - down) / (2 * eps);
                double err = Math.abs(numeric - grad[i]) / Math.max(1e-6, Math.abs(numeric) + Math.abs(grad[i]));
                assertTrue(err < 1e-5 || Math.abs(numeric - grad[i]) < 1e-9,
                        what + ": " + p.name() + "[" + i + "] analytic " + grad[i] + " numeric " + numeric);
                checked++;
            }
        }
        assertTrue(checked > 100, what + ": only " + checked + " entries checked");
    }
}
