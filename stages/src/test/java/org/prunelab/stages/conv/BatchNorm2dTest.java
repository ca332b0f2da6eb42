package org.prunelab.stages.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchNorm2dTest {
    @Test
    void trainingGradientsMatchFiniteDifferencesAndOutputsAreNormalised() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 3, c = 2, spatial = 4, len = n * c * spatial;
        double[] x = new double[len], r = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = 2 + 3 * rng.nextGaussian();
            r[i] = rng.nextGaussian();
        }
        double[] gamma = {1.5, 0.7}, beta = {0.2, -0.4};
        BatchNorm2d bn = new BatchNorm2d(c);
        double[] y = new double[len];
        bn.forward(x, n, spatial, gamma, beta, new double[c], new double[] {1, 1}, true, y);
        double mean0 = 0;
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < spatial; p++) {
                mean0 += y[(i * c) * spatial + p];
            }
        }
        assertEquals(beta[0], mean0 / (n * spatial), 1e-12, "a normalised channel's mean is β");
        double[] gg = new double[c], gb = new double[c], dx = new double[len];
        bn.backward(r, n, spatial, gamma, gg, gb, dx);
        double eps = 1e-6;
        for (double[][] pair : new double[][][] {{x, dx}, {gamma, gg}, {beta, gb}}) {
            for (int j = 0; j < pair[0].length; j++) {
                double keep = pair[0][j];
                pair[0][j] = keep + eps;
                double up = loss(x, n, spatial, gamma, beta, r);
                pair[0][j] = keep - eps;
                double down = loss(x, n, spatial, gamma, beta, r);
                pair[0][j] = keep;
                assertEquals((up - down) / (2 * eps), pair[1][j], 1e-6);
            }
        }
    }

    private static double loss(double[] x, int n, int spatial, double[] gamma, double[] beta, double[] r) {
        double[] y = new double[x.length];
        new BatchNorm2d(gamma.length).forward(x, n, spatial, gamma, beta, new double[gamma.length],
                new double[gamma.length], true, y);
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += r[i] * y[i];
        }
        return s;
    }
}
