package org.prunelab.stages.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClassifierTest {
    private static final int D = 196;

    /** Ten random binary prototypes (20 % on); each image flips every pixel with probability 0.1. */
    private static double[][] prototypes(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] p = new double[10][D];
        for (double[] row : p) {
            for (int i = 0; i < D; i++) {
                row[i] = rng.nextDouble() < 0.2 ? 1.0 : 0.0;
            }
        }
        return p;
    }

    private static double[] noisyCopies(double[][] proto, int n, int[] labels, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n * D];
        for (int r = 0; r < n; r++) {
            labels[r] = rng.nextInt(10);
            for (int i = 0; i < D; i++) {
                double v = proto[labels[r]][i];
                x[r * D + i] = rng.nextDouble() < 0.1 ? 1.0 - v : v;
            }
        }
        return x;
    }

    @Test
    void softmaxRegressionLearnsNoisyPrototypes() {
        double[][] proto = prototypes(1);
        int[] yTrain = new int[2000], yTest = new int[1000];
        double[] train = noisyCopies(proto, 2000, yTrain, 2);
        double[] test = noisyCopies(proto, 1000, yTest, 3);
        ClassifierTraining t = new ClassifierTraining(3, 50, 0.1, 0.5, 1e-4, 11);
        SoftmaxRegression m = SoftmaxRegression.train(train, yTrain, 2000, D, t);
        double acc = m.accuracy(test, yTest, 1000);
        System.out.println("softmax regression, noisy prototypes: test accuracy " + acc);
        assertTrue(acc > 0.95, "accuracy " + acc);
        double[] p = m.probabilities(test, 5);
        for (int r = 0; r < 5; r++) {
            double s = 0;
            for (int k = 0; k < 10; k++) {
                assertTrue(p[r * 10 + k] >= 0);
                s += p[r * 10 + k];
            }
            assertEquals(1.0, s, 1e-12);
        }
        SoftmaxRegression again = SoftmaxRegression.train(train, yTrain, 2000, D, t);
        assertArrayEquals(m.probabilities(test, 1000), again.probabilities(test, 1000), "deterministic for a seed");
    }

    @Test
    void mlpLearnsNoisyPrototypesAndIsDeterministic() {
        double[][] proto = prototypes(4);
        int[] yTrain = new int[2000], yTest = new int[1000];
        double[] train = noisyCopies(proto, 2000, yTrain, 5);
        double[] test = noisyCopies(proto, 1000, yTest, 6);
        ClassifierTraining t = new ClassifierTraining(3, 50, 0.05, 0.9, 1e-4, 12);
        HiddenLayerClassifier m = HiddenLayerClassifier.train(train, yTrain, 2000, D, 32, t);
        double acc = m.accuracy(test, yTest, 1000);
        System.out.println("MLP, noisy prototypes: test accuracy " + acc);
        assertTrue(acc > 0.95, "accuracy " + acc);
        HiddenLayerClassifier again = HiddenLayerClassifier.train(train, yTrain, 2000, D, 32, t);
        assertArrayEquals(m.probabilities(test, 100), again.probabilities(test, 100));
        HiddenLayerClassifier other = HiddenLayerClassifier.train(train, yTrain, 2000, D, 32, new ClassifierTraining(3, 50, 0.05, 0.9, 1e-4, 13));
        assertTrue(!java.util.Arrays.equals(m.probabilities(test, 100), other.probabilities(test, 100)));
    }

    @Test
    void mlpSolvesXorThatNoLinearModelCan() {
        // Label = 2·(x0 xor x1) + (x2 xor x3), plus 4 noise bits: not linearly separable.
        int n = 2000, d = 8;
        SplittableRandom rng = new SplittableRandom(7);
        double[] x = new double[n * d];
        int[] y = new int[n];
        for (int r = 0; r < n; r++) {
            int[] b = new int[d];
            for (int i = 0; i < d; i++) {
                b[i] = rng.nextInt(2);
                x[r * d + i] = b[i];
            }
            y[r] = 2 * (b[0] ^ b[1]) + (b[2] ^ b[3]);
        }
        ClassifierTraining t = new ClassifierTraining(40, 20, 0.05, 0.9, 0.0, 3);
        double linear = SoftmaxRegression.train(x, y, n, d, t).accuracy(x, y, n);
        double mlp = HiddenLayerClassifier.train(x, y, n, d, 16, t).accuracy(x, y, n);
        System.out.println("XOR: softmax " + linear + ", MLP " + mlp);
        assertTrue(linear < 0.6, "linear " + linear);
        assertTrue(mlp > 0.99, "mlp " + mlp);
    }
}
