package org.prunelab.stages.families.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The regularisation baselines: dropout (off at evaluation, correct gradients), weight decay, reset masks. */
class MlpRegularisationTest {
    private static final int[] SIZES = {12, 9, 7, 4};
    private static final int N = 10;
    private static final double[] X = MlpTestData.normal(N * SIZES[0], 31);
    private static final int[] Y = MlpTestData.labels(N, SIZES[3], 32);

    @Test
    void dropoutIsOffAtEvaluationAndOnOnlyInsideATrainingUpdate() {
        Mlp mlp = MlpTestData.random(SIZES, 0.3, 7);
        MlpRegularisation dropout = new MlpRegularisation(0.0, 0.5, 99);
        MlpPass withDropout = dropout.pass(mlp, "dense");
        MlpPass plain = MlpPass.of(mlp, "dense");
        MlpPass.Score a = withDropout.score(X, Y, N, 4);
        MlpPass.Score b = plain.score(X, Y, N, 4);
        assertEquals(b.accuracy(), a.accuracy(), 0.0);
        assertEquals(b.loss(), a.loss(), 0.0, "evaluation is the plain network, bit for bit");
        double[][] gw = grads(mlp, true), gb = grads(mlp, false);
        dropout.at(0, 0);
        double trainingLoss = dropout.trainingPass(() -> withDropout.lossAndGradient(X, Y, N, gw, gb));
        double plainLoss = plain.lossAndGradient(X, Y, N, grads(mlp, true), grads(mlp, false));
        assertNotEquals(plainLoss, trainingLoss, "half of the hidden units dropped changes the training loss");
        assertEquals(b.loss(), withDropout.score(X, Y, N, 4).loss(), 0.0, "and evaluation is plain again afterwards");
    }

    /** With the dropout masks held fixed (same stream), the analytic gradient matches central differences. */
    @Test
    void dropoutGradientsMatchFiniteDifferencesOfTheDroppedNetwork() {
        Mlp mlp = MlpTestData.random(SIZES, 0.2, 8);
        MlpRegularisation dropout = new MlpRegularisation(0.0, 0.4, 5);
        MlpPass pass = dropout.pass(mlp, "dense");
        double[][] gw = grads(mlp, true), gb = grads(mlp, false);
        dropout.at(3, 1);
        dropout.trainingPass(() -> pass.lossAndGradient(X, Y, N, gw, gb));
        double eps = 1e-6;
        int nonZero = 0;
        for (int l = 0; l < mlp.layers(); l++) {
            for (int j = 0; j < mlp.w[l].length; j += 3) {
                if (mlp.mask[l][j] == 0) {
                    assertEquals(0.0, gw[l][j], 0.0);
                    continue;
                }
                double w0 = mlp.w[l][j];
                mlp.w[l][j] = w0 + eps;
                double up = droppedLoss(dropout, pass, mlp);
                mlp.w[l][j] = w0 - eps;
                double down = droppedLoss(dropout, pass, mlp);
                mlp.w[l][j] = w0;
                assertEquals((up - down) / (2 * eps), gw[l][j], 1e-7, "layer " + l + " weight " + j);
                nonZero += gw[l][j] != 0.0 ? 1 : 0;
            }
        }
        assertTrue(nonZero > 10);
    }

    private static double droppedLoss(MlpRegularisation dropout, MlpPass pass, Mlp mlp) {
        dropout.at(3, 1);
        return dropout.trainingPass(() -> pass.lossAndGradient(X, Y, N, grads(mlp, true), grads(mlp, false)));
    }

    /** One plain SGD step with λ moves each weight by exactly −lr·λ·w more than without (PyTorch's rule). */
    @Test
    void weightDecayAddsLambdaTimesTheWeightToTheGradient() {
        Mlp start = MlpTestData.random(SIZES, 0.5, 9);
        double lr = 0.1, lambda = 0.01;
        MlpTrainer.State plain = MlpTrainer.State.fresh(start.copy());
        MlpTrainer.State decayed = MlpTrainer.State.fresh(start.copy());
        new MlpTrainer(OptimizerSettings.sgd(0.0), MlpPass.of(plain.mlp, "dense")).update(plain, X, Y, N, lr);
        new MlpTrainer(OptimizerSettings.sgd(0.0), MlpPass.of(decayed.mlp, "dense"),
                new MlpRegularisation(lambda, 0.0, 0)).update(decayed, X, Y, N, lr);
        for (int l = 0; l < start.layers(); l++) {
            for (int j = 0; j < start.w[l].length; j++) {
                assertEquals(plain.mlp.w[l][j] - lr * lambda * start.w[l][j], decayed.mlp.w[l][j], 1e-15);
                if (start.mask[l][j] == 0) {
                    assertEquals(0.0, decayed.mlp.w[l][j], 0.0);
                }
            }
            for (int o = 0; o < start.b[l].length; o++) {
                assertEquals(plain.mlp.b[l][o] - lr * lambda * start.b[l][o], decayed.mlp.b[l][o], 1e-15);
            }
        }
    }

    @Test
    void reinitialisingKeepsTheMaskAndRedrawsTheSurvivors() {
        Mlp pruned = MlpTestData.random(SIZES, 0.7, 10);
        Mlp fresh = MlpTrainStage.reinitialised(pruned, 4);
        for (int l = 0; l < pruned.layers(); l++) {
            assertArrayEquals(pruned.mask[l], fresh.mask[l]);
            assertFalse(Arrays.equals(pruned.w[l], fresh.w[l]));
            double bound = 1.0 / Math.sqrt(pruned.in(l));
            for (int j = 0; j < fresh.w[l].length; j++) {
                assertTrue(Math.abs(fresh.w[l][j]) <= bound);
                if (pruned.mask[l][j] == 0) {
                    assertEquals(0.0, fresh.w[l][j], 0.0);
                }
            }
        }
        Mlp again = MlpTrainStage.reinitialised(pruned, 4);
        assertArrayEquals(fresh.w[0], again.w[0], 0.0, "deterministic given the seed");
    }

    private static double[][] grads(Mlp mlp, boolean weights) {
        double[][] g = new double[mlp.layers()][];
        for (int l = 0; l < g.length; l++) {
            g[l] = new double[weights ? mlp.w[l].length : mlp.b[l].length];
        }
        return g;
    }
}
