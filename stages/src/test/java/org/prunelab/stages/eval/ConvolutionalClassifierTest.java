package org.prunelab.stages.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.linalg.Gemm;

class ConvolutionalClassifierTest {
    private static final Gemm GEMM = Gemm.create(1);

    private static double loss(ConvolutionalShape shape, double[][] params, double[] x, int[] y, int n) {
        ConvolutionalPass pass = new ConvolutionalPass(shape, n, GEMM);
        System.arraycopy(x, 0, pass.input(), 0, x.length);
        pass.forward(params, n);
        double[][] scratch = new double[params.length][];
        for (int p = 0; p < params.length; p++) {
            scratch[p] = new double[params[p].length];
        }
        return pass.backward(params, y, 0, scratch);
    }

    @Test
    void backwardMatchesCentralFiniteDifferencesForEveryParameter() {
        // Real-valued inputs and non-zero biases keep every ReLU and pooling decision away from a tie,
        // where the loss has a kink and a finite difference means nothing.
        ConvolutionalShape shape = new ConvolutionalShape(8, 8, 2, 3, 4);
        SplittableRandom rng = new SplittableRandom(5);
        double[][] params = ConvolutionalClassifier.initialParameters(shape, 9);
        for (int p = 1; p < params.length; p += 2) {
            for (int j = 0; j < params[p].length; j++) {
                params[p][j] = 0.1 * rng.nextGaussian();
            }
        }
        int n = 3;
        double[] x = new double[n * shape.inputs()];
        for (int j = 0; j < x.length; j++) {
            x[j] = rng.nextGaussian();
        }
        int[] y = {3, 0, 7};
        ConvolutionalPass pass = new ConvolutionalPass(shape, n, GEMM);
        System.arraycopy(x, 0, pass.input(), 0, x.length);
        pass.forward(params, n);
        double[][] grads = new double[params.length][];
        for (int p = 0; p < params.length; p++) {
            grads[p] = new double[params[p].length];
        }
        pass.backward(params, y, 0, grads);
        double eps = 1e-6;
        int checked = 0;
        for (int p = 0; p < params.length; p++) {
            for (int j = 0; j < params[p].length; j++) {
                double keep = params[p][j];
                params[p][j] = keep + eps;
                double up = loss(shape, params, x, y, n);
                params[p][j] = keep - eps;
                double down = loss(shape, params, x, y, n);
                params[p][j] = keep;
                double numeric = (up - down) / (2 * eps);
                double analytic = grads[p][j];
                assertEquals(numeric, analytic, 1e-7 + 1e-5 * Math.abs(numeric),
                        "parameter array " + p + " index " + j);
                checked++;
            }
        }
        assertEquals(Arrays.stream(shape.parameterLengths()).sum(), checked);
        assertTrue(Arrays.stream(grads[0]).anyMatch(g -> Math.abs(g) > 1e-6), "the first layer receives a gradient");
    }

    /**
     * Ten distinct 4 x 4 binary glyphs, each placed at one of 25 random positions of a 12 x 12 image
     * with 1 % pixel noise: the class is the shape wherever it sits, which is what convolution and
     * pooling are for (no single pixel tells the class).
     */
    private static double[] glyphs(int n, int[] labels, long seed) {
        SplittableRandom shapes = new SplittableRandom(99);
        int[][] glyph = new int[10][];
        for (int k = 0; k < 10; k++) {
            int[] g;
            do {
                g = new int[16];
                for (int i = 0; i < 16; i++) {
                    g[i] = shapes.nextInt(2);
                }
            } while (Arrays.stream(g).sum() < 5 || contains(glyph, k, g));
            glyph[k] = g;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n * 144];
        for (int r = 0; r < n; r++) {
            int k = rng.nextInt(10);
            labels[r] = k;
            int oy = 2 + rng.nextInt(5), ox = 2 + rng.nextInt(5);
            for (int i = 0; i < 16; i++) {
                x[r * 144 + (oy + i / 4) * 12 + ox + i % 4] = glyph[k][i];
            }
            for (int j = 0; j < 144; j++) {
                if (rng.nextDouble() < 0.01) {
                    x[r * 144 + j] = 1.0 - x[r * 144 + j];
                }
            }
        }
        return x;
    }

    private static boolean contains(int[][] glyphs, int count, int[] g) {
        for (int k = 0; k < count; k++) {
            if (Arrays.equals(glyphs[k], g)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void learnsGlyphsAnywhereInTheImage() {
        int[] yTrain = new int[1000], yTest = new int[500];
        double[] train = glyphs(1000, yTrain, 1);
        double[] test = glyphs(500, yTest, 2);
        ConvolutionalShape shape = new ConvolutionalShape(12, 12, 8, 16, 32);
        ClassifierTraining t = new ClassifierTraining(8, 20, 0.005, 0.9, 0.0, 17);
        double[] losses = new double[t.epochs()];
        ConvolutionalClassifier m = ConvolutionalClassifier.train(train, yTrain, 1000, shape, t, 1, GEMM,
                (epoch, loss) -> losses[epoch] = loss);
        double accuracy = m.accuracy(test, yTest, 500);
        System.out.println("cnn, glyphs anywhere in 12x12: test accuracy " + accuracy + ", epoch losses "
                + Arrays.toString(losses));
        assertTrue(accuracy > 0.95, "accuracy " + accuracy);
        assertTrue(losses[losses.length - 1] < losses[0] / 3, "the loss falls: " + Arrays.toString(losses));
    }

    @Test
    void trainingIsBitIdenticalForASeedAndDiffersAcrossSeeds() {
        int[] y = new int[300];
        double[] x = glyphs(300, y, 3);
        ConvolutionalShape shape = new ConvolutionalShape(12, 12, 4, 6, 8);
        ClassifierTraining t = new ClassifierTraining(2, 20, 0.005, 0.9, 1e-4, 17);
        double[] p = ConvolutionalClassifier.train(x, y, 300, shape, t, 2, GEMM).probabilities(x, 300);
        double[] again = ConvolutionalClassifier.train(x, y, 300, shape, t, 2, GEMM).probabilities(x, 300);
        assertArrayEquals(p, again, "bit-identical for a seed");
        double[] other = ConvolutionalClassifier.train(x, y, 300, shape, new ClassifierTraining(2, 20, 0.005, 0.9, 1e-4,
                18), 2, GEMM).probabilities(x, 300);
        assertFalse(Arrays.equals(p, other), "another seed, another network");
        double[] unshifted = ConvolutionalClassifier.train(x, y, 300, shape, t, 0, GEMM).probabilities(x, 300);
        assertFalse(Arrays.equals(p, unshifted), "the augmentation changes what is learned");
    }

    @Test
    void probabilitiesAreNormalisedAndIndependentOfTheInferenceBatching() {
        ConvolutionalShape shape = new ConvolutionalShape(12, 12, 2, 3, 5);
        ConvolutionalClassifier m = ConvolutionalClassifier.of(shape, ConvolutionalClassifier.initialParameters(shape, 3));
        int[] y = new int[230];
        double[] x = glyphs(230, y, 4); // more than one inference batch of 100
        double[] all = m.probabilities(x, 230);
        for (int r = 0; r < 230; r++) {
            double s = 0;
            for (int k = 0; k < 10; k++) {
                s += all[r * 10 + k];
            }
            assertEquals(1.0, s, 1e-12);
        }
        double[] tail = m.probabilities(Arrays.copyOfRange(x, 150 * 144, 230 * 144), 80);
        assertArrayEquals(Arrays.copyOfRange(all, 1500, 2300), tail, 1e-12);
    }

    @Test
    void shiftMovesTheImageAndFillsTheBorderWithBackground() {
        ShiftAugmentation shift = new ShiftAugmentation(3, 4, 1);
        double[] src = {1, 2, 3, 4,
                        5, 6, 7, 8,
                        9, 10, 11, 12};
        double[] dst = new double[12];
        shift.shift(src, 0, dst, 0, 1, -1); // down one row, left one column
        assertArrayEquals(new double[] {0, 0, 0, 0,
                                        2, 3, 4, 0,
                                        6, 7, 8, 0}, dst);
        assertThrows(IllegalArgumentException.class, () -> new ShiftAugmentation(3, 4, 3));
        assertThrows(IllegalArgumentException.class, () -> new ShiftAugmentation(3, 4, -1));
    }

    @Test
    void badShapesAndSavedParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ConvolutionalShape(3, 28, 8, 16, 64));
        assertThrows(IllegalArgumentException.class, () -> new ConvolutionalShape(28, 28, 0, 16, 64));
        ConvolutionalShape shape = new ConvolutionalShape(8, 8, 2, 3, 4);
        double[][] params = ConvolutionalClassifier.initialParameters(shape, 1);
        params[4] = new double[params[4].length + 1];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvolutionalClassifier.of(shape, params));
        assertTrue(e.getMessage().contains("parameter array 4"), e.getMessage());
    }
}
