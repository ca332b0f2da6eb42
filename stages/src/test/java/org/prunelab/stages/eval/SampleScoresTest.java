package org.prunelab.stages.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.core.StableMath;

class SampleScoresTest {
    private static double[] oneHot(int[] classes) {
        double[] p = new double[classes.length * 10];
        for (int r = 0; r < classes.length; r++) {
            p[r * 10 + classes[r]] = 1.0;
        }
        return p;
    }

    @Test
    void allConfidentInOneClass() {
        int[] c = new int[50];
        Arrays.fill(c, 3);
        SampleScores s = SampleScores.of(oneHot(c), 50);
        assertEquals(1.0, s.confident50());
        assertEquals(1.0, s.confident90());
        assertEquals(1.0, s.confident99());
        assertEquals(1.0, s.meanConfidence());
        assertEquals(0.0, s.coverageEntropy());
        assertEquals(1, s.classesAbove1Percent());
        assertEquals(1.0, s.inceptionScore(), 1e-12);
    }

    @Test
    void oneHotSpreadEvenlyOverTenClasses() {
        int[] c = new int[100];
        for (int r = 0; r < 100; r++) {
            c[r] = r % 10;
        }
        SampleScores s = SampleScores.of(oneHot(c), 100);
        assertEquals(Math.log(10), s.coverageEntropy(), 1e-12);
        assertEquals(10, s.classesAbove1Percent());
        assertEquals(10.0, s.inceptionScore(), 1e-9);
        assertEquals(1.0, s.confident99());
    }

    @Test
    void uniformPredictionsAreTheWorstCase() {
        double[] p = new double[20 * 10];
        Arrays.fill(p, 0.1);
        SampleScores s = SampleScores.of(p, 20);
        assertEquals(1.0, s.inceptionScore(), 1e-12);
        assertEquals(0.1, s.meanConfidence(), 1e-15);
        assertEquals(0.0, s.confident50());
        // All ties: argmax is class 0 for every sample.
        assertEquals(0.0, s.coverageEntropy());
        assertEquals(1, s.classesAbove1Percent());
    }

    @Test
    void handComputedMixture() {
        double[] p = new double[20];
        p[0] = 0.8;
        p[1] = 0.2;
        p[10] = 0.2;
        p[11] = 0.8;
        SampleScores s = SampleScores.of(p, 2);
        double kl = 0.8 * Math.log(0.8 / 0.5) + 0.2 * Math.log(0.2 / 0.5);
        assertEquals(Math.exp(kl), s.inceptionScore(), 1e-12);
        assertEquals(0.8, s.meanConfidence(), 1e-15);
        assertEquals(1.0, s.confident50());
        assertEquals(0.0, s.confident90());
        assertEquals(Math.log(2), s.coverageEntropy(), 1e-15);
    }

    @Test
    void thresholdsAreStrictAndCoverageCountsExactlyOnePercent() {
        double[] p = new double[200 * 10];
        for (int r = 0; r < 200; r++) {
            int cls = r < 197 ? 0 : (r < 199 ? 9 : 8); // 197 / 2 (= 1 %) / 1 (= 0.5 %)
            p[r * 10 + cls] = 0.9;
            p[r * 10 + (cls + 1) % 10] = 0.1;
        }
        SampleScores s = SampleScores.of(p, 200);
        assertEquals(0.0, s.confident90(), "max exactly 0.9 is not > 0.9");
        assertEquals(1.0, s.confident50());
        assertEquals(2, s.classesAbove1Percent());
        assertEquals(0.9, s.meanConfidence(), 1e-12);
        assertEquals(-1.0, SampleScores.normalised(0.0, 1.0, 2.0));
        assertEquals(0.5, SampleScores.normalised(1.5, 1.0, 2.0));
        assertTrue(Double.isNaN(SampleScores.normalised(1.0, 1.0, 1.0)));
        assertThrows(IllegalArgumentException.class, () -> SampleScores.of(new double[15], 2));
    }

    @Test
    void referencesUseTheRequestedFormats() {
        // A stand-in classifier: class = number of "on" pixels among the first 9, as a one-hot.
        Classifier counter = new Classifier() {
            @Override
            public int inputs() {
                return 9;
            }

            @Override
            public double[] probabilities(double[] images, int n) {
                double[] p = new double[n * 10];
                for (int r = 0; r < n; r++) {
                    double s = 0;
                    for (int i = 0; i < 9; i++) {
                        s += images[r * 9 + i];
                    }
                    p[r * 10 + (int) Math.round(s)] = 1.0;
                }
                return p;
            }
        };
        double[] heldOut = new double[9 * 3]; // three blank images -> class 0
        double[] a = new double[9];
        Arrays.fill(a, -30.0); // σ(a) ≈ 1e-13: bias-only samples are blank
        SampleScores.References ref = SampleScores.references(counter, heldOut, 3, a, 400, false, new SplittableRandom(1));
        assertEquals(0.0, ref.ceiling().coverageEntropy());
        assertEquals(0.0, ref.biasOnlyFloor().coverageEntropy());
        assertEquals(1.0, ref.biasOnlyFloor().inceptionScore(), 1e-12);
        assertTrue(ref.noiseFloor().classesAbove1Percent() >= 7, "Binomial(9, 1/2) counts cover most classes");
        assertEquals(28, ref.asMetrics("aux.", ref.ceiling()).size());

        double[] mf = SampleScores.biasOnlySamples(new double[] {0.0, 2.0}, 3, true, new SplittableRandom(1));
        assertEquals(0.5, mf[4]);
        assertEquals(StableMath.sigmoid(2.0), mf[5]);
        double[] bin = SampleScores.biasOnlySamples(new double[] {2.0}, 20000, false, new SplittableRandom(2));
        assertEquals(StableMath.sigmoid(2.0), Arrays.stream(bin).average().orElseThrow(), 0.01);
        double[] noise = SampleScores.uniformNoise(100, 50, true, new SplittableRandom(3));
        assertTrue(Arrays.stream(noise).allMatch(x -> x >= 0 && x < 1) && Arrays.stream(noise).anyMatch(x -> x != 0 && x != 1));
    }
}
