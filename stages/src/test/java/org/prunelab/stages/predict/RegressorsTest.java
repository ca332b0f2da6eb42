package org.prunelab.stages.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The regressors on synthetic data whose achievable R² is known: y = signal + noise with
 * Var(signal) = 1 and Var(noise) = 0.25, so the best possible R² is 1 / 1.25 = 0.8.
 */
class RegressorsTest {

    private static double[][] x;
    private static double[] yLinear;
    private static double[] yStep;

    static {
        SplittableRandom rng = new SplittableRandom(42);
        int n = 400, p = 5;
        x = new double[n][p];
        yLinear = new double[n];
        yStep = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                x[i][j] = gaussian(rng);
            }
            // Linear signal with unit variance (0.6² + 0.8² = 1); features 2..4 are pure noise.
            double noise = 0.5 * gaussian(rng);
            yLinear[i] = 3 + 0.6 * x[i][0] + 0.8 * x[i][1] + noise;
            // A step in feature 0 (variance 1: ±1), which trees capture and a line only partly.
            yStep[i] = (x[i][0] > 0 ? 1 : -1) + noise;
        }
    }

    private static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    @Test
    void r2IsOneForAPerfectFitZeroForTheMeanNegativeForWorse() {
        double[] t = {1, 2, 3, 4};
        assertEquals(1.0, PredictionEvaluation.r2(t, t), 0);
        assertEquals(0.0, PredictionEvaluation.r2(t, new double[] {2.5, 2.5, 2.5, 2.5}), 1e-15);
        assertTrue(PredictionEvaluation.r2(t, new double[] {4, 3, 2, 1}) < 0);
    }

    @Test
    void bayesianRidgeRecoversTheLinearModelAndItsNoise() {
        BayesianRidge br = new BayesianRidge();
        br.fit(x, yLinear);
        double[] c = br.coefficients();
        assertEquals(0.6, c[0], 0.06);
        assertEquals(0.8, c[1], 0.06);
        for (int j = 2; j < 5; j++) {
            assertEquals(0.0, c[j], 0.06, "noise feature " + j);
        }
        assertEquals(4.0, br.noisePrecision(), 0.8, "noise variance 0.25 means precision 4");
        PredictionEvaluation.CrossValidated cv = PredictionEvaluation.crossValidate(br, x, yLinear, 10, 5, 1);
        assertEquals(0.8, cv.mean(), 0.05);
        assertTrue(cv.low() <= cv.mean() && cv.mean() <= cv.high());
    }

    @Test
    void forestAndBoostingCaptureAStepALineCannotFullyFit() {
        double forest = PredictionEvaluation.crossValidate(new RandomForest(30, 3), x, yStep, 5, 1, 2).mean();
        double boost = PredictionEvaluation.crossValidate(new AdaBoostR2(30, 3, 4), x, yStep, 5, 1, 2).mean();
        double line = PredictionEvaluation.crossValidate(new BayesianRidge(), x, yStep, 5, 1, 2).mean();
        assertTrue(forest > 0.65 && forest < 0.85, "forest " + forest);
        assertTrue(boost > 0.65 && boost < 0.85, "boost " + boost);
        assertTrue(line < forest - 0.05, "a line (" + line + ") fits a step worse than a forest (" + forest + ")");
    }

    @Test
    void seededFitsAreDeterministic() {
        assertArrayEquals(fitPredict(new RandomForest(8, 9)), fitPredict(new RandomForest(8, 9)));
        assertArrayEquals(fitPredict(new AdaBoostR2(5, 3, 9)), fitPredict(new AdaBoostR2(5, 3, 9)));
    }

    private static double[] fitPredict(Regressor r) {
        r.fit(x, yStep);
        return r.predict(x);
    }

    @Test
    void holdOutAndPermutationImportanceFindTheInformativeFeatures() {
        double h = PredictionEvaluation.holdOut(new BayesianRidge(), x, yLinear, 0.1, 5);
        assertTrue(h > 0.6, "hold-out R² " + h);
        double[] imp = PredictionEvaluation.permutationImportance(new BayesianRidge(), x, yLinear, 3, 6);
        assertTrue(imp[1] > imp[0] && imp[0] > 0.3, "importances " + java.util.Arrays.toString(imp));
        for (int j = 2; j < 5; j++) {
            assertTrue(imp[j] < 0.02, "noise feature " + j + " importance " + imp[j]);
        }
        assertEquals(1.0, PredictionEvaluation.pearson(new double[] {1, 2, 3}, new double[] {2, 4, 6}), 1e-15);
        assertTrue(Double.isNaN(PredictionEvaluation.pearson(new double[] {1, 1, 1}, new double[] {2, 4, 6})));
    }
}
