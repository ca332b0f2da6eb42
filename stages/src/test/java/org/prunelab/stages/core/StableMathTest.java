package org.prunelab.stages.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StableMathTest {

    @Test
    void tanhAgreesWithFdlibmToTheLastBitOrTwo() {
        SplittableRandom rng = new SplittableRandom(11);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            // wide (activations) and narrow (near 0, where 1 − 2/(e+1) cancels) ranges both
            double x = i % 2 == 0 ? rng.nextDouble(-30, 30) : rng.nextDouble(-1e-3, 1e-3);
            worst = Math.max(worst, Math.abs(StableMath.tanh(x) - StrictMath.tanh(x)));
        }
        assertTrue(worst <= 2.3e-16, "largest absolute difference from StrictMath.tanh: " + worst);
    }

    @Test
    void tanhIsOddSaturatesAndPropagatesNaN() {
        for (double x : new double[] {0.1, 1.0, 5.0, 21.9, 22.1, 700.0}) {
            assertEquals(-StableMath.tanh(x), StableMath.tanh(-x), 0.0, "odd at " + x);
        }
        assertEquals(1.0, StableMath.tanh(22.5), 0.0);
        assertEquals(-1.0, StableMath.tanh(Double.NEGATIVE_INFINITY), 0.0);
        assertEquals(0.0, StableMath.tanh(0.0), 0.0);
        assertTrue(Double.isNaN(StableMath.tanh(Double.NaN)));
    }

    /** The textbook formula, unshifted: fine for the moderate logits it is used with here. */
    private static double naiveRowLoss(double[] logits, int base, int classes, int label) {
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(logits[base + c]);
        }
        return Math.log(sum) - logits[base + label];
    }

    @Test
    void softmaxCrossEntropyIsTheMeanLossAndItsGradientIsSoftmaxMinusOneHotOverN() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 5, classes = 4;
        double[] logits = new double[n * classes];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = rng.nextDouble(-4, 4);
        }
        int[] labels = {0, 3, 1, 1, 2};
        double[] grad = new double[n * classes];
        double loss = StableMath.softmaxCrossEntropy(logits, labels, n, classes, grad);

        double expected = 0;
        for (int r = 0; r < n; r++) {
            expected += naiveRowLoss(logits, r * classes, classes, labels[r]) / n;
            double z = 0;
            for (int c = 0; c < classes; c++) {
                z += Math.exp(logits[r * classes + c]);
            }
            for (int c = 0; c < classes; c++) {
                double p = Math.exp(logits[r * classes + c]) / z;
                assertEquals((p - (c == labels[r] ? 1 : 0)) / n, grad[r * classes + c], 1e-15, "grad[" + r + "][" + c + "]");
            }
        }
        assertEquals(expected, loss, 1e-13);

        // and the gradient is the derivative of the returned loss
        double h = 1e-6;
        for (int i = 0; i < logits.length; i++) {
            double keep = logits[i];
            logits[i] = keep + h;
            double up = StableMath.softmaxCrossEntropy(logits, labels, n, classes, new double[n * classes]);
            logits[i] = keep - h;
            double down = StableMath.softmaxCrossEntropy(logits, labels, n, classes, new double[n * classes]);
            logits[i] = keep;
            assertEquals((up - down) / (2 * h), grad[i], 1e-8, "d loss / d logit " + i);
        }
    }

    @Test
    void softmaxCrossEntropyStaysFiniteForHugeLogitsAndLeavesRowsPastNAlone() {
        // exp(1000) overflows: only the max-shift keeps these finite
        double[] logits = {1000, 0, -1000, 1000, /* row 2, not part of the batch: */ 7, 7};
        double[] grad = {0, 0, 0, 0, Double.NaN, Double.NaN};
        double loss = StableMath.softmaxCrossEntropy(logits, new int[] {1, 1}, 2, 2, grad);
        // row 0 (label 1): −log σ(−1000) = 1000; row 1 (label 1): −log σ(2000) ≈ 0
        assertEquals(500.0, loss, 1e-12);
        assertEquals(0.5, grad[0], 1e-15);
        assertEquals(-0.5, grad[1], 1e-15);
        assertEquals(0.0, grad[2], 1e-15);
        assertEquals(0.0, grad[3], 1e-15);
        assertTrue(Double.isNaN(grad[4]) && Double.isNaN(grad[5]), "rows past n are not written");
    }

    @Test
    void softmaxCrossEntropyRefusesALabelOutsideTheClassesNamingTheRow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StableMath.softmaxCrossEntropy(new double[6], new int[] {0, 3}, 2, 3, new double[6]));
        assertEquals("label 3 of row 1 is outside 0..2", e.getMessage());
    }

    @Test
    void softmaxInPlaceIsTheTextbookSoftmaxOfItsRowOnly() {
        SplittableRandom rng = new SplittableRandom(23);
        double[] z = new double[3 * 7];
        for (int i = 0; i < z.length; i++) {
            z[i] = 8.0 * (rng.nextDouble() - 0.5);
        }
        double[] before = z.clone();
        StableMath.softmaxInPlace(z, 7, 7);
        double denominator = 0.0;
        for (int k = 0; k < 7; k++) {
            denominator += Math.exp(before[7 + k]);
        }
        double total = 0.0;
        for (int k = 0; k < 7; k++) {
            assertEquals(Math.exp(before[7 + k]) / denominator, z[7 + k], 1e-15);
            total += z[7 + k];
        }
        assertEquals(1.0, total, 1e-15);
        for (int i : new int[] {0, 6, 14, 20}) {
            assertEquals(before[i], z[i], "entry " + i + " outside the row is left alone");
        }
        double[] huge = {1000.0, 999.0, -1000.0};
        StableMath.softmaxInPlace(huge, 0, 3); // exp(1000) would overflow without the shift
        assertEquals(1.0 / (1.0 + Math.exp(-1.0)), huge[0], 1e-15);
        assertEquals(0.0, huge[2]);
    }

    @Test
    void crossEntropyOfRowIsMinusLogSoftmaxAndTheLossSoftmaxCrossEntropyTrainsWith() {
        SplittableRandom rng = new SplittableRandom(29);
        for (int t = 0; t < 200; t++) {
            double[] z = new double[5];
            for (int k = 0; k < 5; k++) {
                z[k] = (t % 2 == 0 ? 6.0 : 600.0) * (rng.nextDouble() - 0.5);
            }
            int label = t % 5;
            double ce = StableMath.crossEntropyOfRow(z, 0, 5, label);
            double trained = StableMath.softmaxCrossEntropy(z, new int[] {label}, 1, 5, new double[5]);
            assertEquals(Double.doubleToRawLongBits(trained), Double.doubleToRawLongBits(ce), "the same bits");
            if (t % 2 == 0) { // small logits: the unshifted formula is exact enough to compare with
                double sum = 0.0;
                for (double v : z) {
                    sum += Math.exp(v);
                }
                assertEquals(-Math.log(Math.exp(z[label]) / sum), ce, 1e-12);
            }
        }
        double[] rows = {9.0, 9.0, /* row 1: */ 1000.0, 0.0};
        assertEquals(Math.log(2.0), StableMath.crossEntropyOfRow(rows, 0, 2, 1), 1e-15);
        assertEquals(1000.0, StableMath.crossEntropyOfRow(rows, 2, 2, 1), 1e-12);
    }
}
