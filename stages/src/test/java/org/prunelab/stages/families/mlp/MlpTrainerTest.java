package org.prunelab.stages.families.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MlpTrainerTest {
    private static final int[] SIZES = {12, 8, 4};

    private static MlpTrainer.State train(Mlp start, OptimizerSettings settings, String kernel, int updates, double lr) {
        MlpTrainer.State st = MlpTrainer.State.fresh(start.copy());
        MlpTrainer trainer = new MlpTrainer(settings, MlpPass.of(st.mlp, kernel));
        int n = 10;
        for (int u = 0; u < updates; u++) {
            double[] x = MlpTestData.normal(n * SIZES[0], 100 + u);
            int[] y = MlpTestData.labels(n, SIZES[2], 200 + u);
            trainer.update(st, x, y, n, lr);
        }
        return st;
    }

    @Test
    void prunedWeightsAndMomentsStayExactlyZeroUnderSgdMomentumAndAdam() {
        Mlp start = MlpTestData.random(SIZES, 0.6, 5);
        for (OptimizerSettings s : new OptimizerSettings[] {OptimizerSettings.sgd(0.9), OptimizerSettings.adam(0.9, 0.999, 1e-8)}) {
            for (String kernel : new String[] {"dense", "sparse"}) {
                MlpTrainer.State st = train(start, s, kernel, 25, 0.05);
                for (int l = 0; l < st.mlp.layers(); l++) {
                    int changed = 0;
                    for (int j = 0; j < st.mlp.w[l].length; j++) {
                        if (start.mask[l][j] == 0) {
                            // Bitwise +0.0: not merely small, and not −0.0.
                            assertEquals(0L, Double.doubleToRawLongBits(st.mlp.w[l][j]), s.optimizer() + " w");
                            assertEquals(0L, Double.doubleToRawLongBits(st.m1w[l][j]), s.optimizer() + " m1");
                            assertEquals(0L, Double.doubleToRawLongBits(st.m2w[l][j]), s.optimizer() + " m2");
                        } else if (st.mlp.w[l][j] != start.w[l][j]) {
                            changed++;
                        }
                    }
                    assertArrayEquals(start.mask[l], st.mlp.mask[l]);
                    assertTrue(changed > 0, "kept weights of layer " + l + " must learn");
                }
                assertEquals(s.adam() ? 25 : 0, st.step);
            }
        }
    }

    @Test
    void sgdMomentumFollowsPyTorchSemantics() {
        // v = μ·v + g; w −= lr·v, with g the masked gradient of the batch's mean loss.
        Mlp start = MlpTestData.random(SIZES, 0.5, 6);
        Mlp ref = start.copy();
        double mu = 0.9, lr = 0.1;
        double[][] v = new double[2][];
        v[0] = new double[ref.w[0].length];
        v[1] = new double[ref.w[1].length];
        double[][] gw = {new double[ref.w[0].length], new double[ref.w[1].length]};
        double[][] gb = {new double[ref.b[0].length], new double[ref.b[1].length]};
        double[][] vb = {new double[ref.b[0].length], new double[ref.b[1].length]};
        MlpPass refPass = MlpPass.of(ref, "dense");
        for (int u = 0; u < 3; u++) {
            refPass.lossAndGradient(MlpTestData.normal(10 * SIZES[0], 100 + u), MlpTestData.labels(10, SIZES[2], 200 + u),
                    10, gw, gb);
            for (int l = 0; l < 2; l++) {
                for (int j = 0; j < gw[l].length; j++) {
                    v[l][j] = mu * v[l][j] + gw[l][j];
                    ref.w[l][j] -= lr * v[l][j];
                }
                for (int o = 0; o < gb[l].length; o++) {
                    vb[l][o] = mu * vb[l][o] + gb[l][o];
                    ref.b[l][o] -= lr * vb[l][o];
                }
            }
        }
        MlpTrainer.State st = train(start, OptimizerSettings.sgd(mu), "sparse", 3, lr);
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(ref.w[l], st.mlp.w[l], 1e-12);
            assertArrayEquals(ref.b[l], st.mlp.b[l], 1e-12);
            assertArrayEquals(v[l], st.m1w[l], 1e-12);
        }
    }

    @Test
    void trainingIsBitReproducibleAndLowersTheLoss() {
        Mlp start = MlpTestData.random(SIZES, 0.2, 7);
        MlpTrainer.State a = train(start, OptimizerSettings.adam(0.9, 0.999, 1e-8), "dense", 10, 0.01);
        MlpTrainer.State b = train(start, OptimizerSettings.adam(0.9, 0.999, 1e-8), "dense", 10, 0.01);
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(a.mlp.w[l], b.mlp.w[l]);
            assertArrayEquals(a.m2w[l], b.m2w[l]);
        }
        // Fitting one fixed batch: the loss must fall.
        MlpTrainer.State st = MlpTrainer.State.fresh(start.copy());
        MlpTrainer trainer = new MlpTrainer(OptimizerSettings.sgd(0.5), MlpPass.of(st.mlp, "auto"));
        double[] x = MlpTestData.normal(20 * SIZES[0], 1);
        int[] y = MlpTestData.labels(20, SIZES[2], 2);
        double first = trainer.update(st, x, y, 20, 0.1);
        double last = first;
        for (int u = 0; u < 100; u++) {
            last = trainer.update(st, x, y, 20, 0.1);
        }
        assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
        assertNotEquals(first, last);
    }
}
