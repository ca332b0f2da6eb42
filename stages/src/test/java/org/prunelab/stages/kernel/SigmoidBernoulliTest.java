package org.prunelab.stages.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.core.StableMath;
import org.prunelab.stages.random.CounterRandom;

/**
 * The fused sigmoid + counter-based Bernoulli draw against a plain reference (σ by
 * {@link PolynomialSigmoid#of}, then u &lt; p with u = {@link CounterRandom#uniform} of the entry's
 * index), bit for bit, on shapes with odd widths (so thread blocks start inside Philox
 * blocks), at 1, 2 and 3 threads; and the parallel sigmoid against {@link StableMath#sigmoidInPlace}.
 * The shapes are large enough for {@link RowSplit} to split them.
 */
class SigmoidBernoulliTest {
    private static final long KEY = 0x5EEDL;

    @Test
    void fusedDrawEqualsSigmoidThenCompareAtEveryThreadCount() {
        for (int[] shape : new int[][] {{301, 257}, {100, 500}, {7, 3}}) {
            int rows = shape[0], width = shape[1];
            double[] pre = preActivations(rows * width, 3);
            long stream = CounterRandom.stream(4, 2, 3);
            double[] refProbs = new double[pre.length], refSamples = new double[pre.length];
            for (int j = 0; j < pre.length; j++) {
                refProbs[j] = PolynomialSigmoid.of(pre[j]);
                refSamples[j] = CounterRandom.uniform(KEY, stream, j) < refProbs[j] ? 1.0 : 0.0;
            }
            for (int threads = 1; threads <= 3; threads++) {
                String where = rows + "x" + width + " threads=" + threads;
                double[] probs = new double[pre.length], samples = new double[pre.length];
                new SigmoidBernoulli(threads).sample(pre, rows, width, KEY, stream, probs, samples);
                assertArrayEquals(refProbs, probs, where + " probabilities");
                assertArrayEquals(refSamples, samples, where + " samples");

                double[] inPlace = pre.clone(), only = new double[pre.length];
                new SigmoidBernoulli(threads).sample(inPlace, rows, width, KEY, stream, inPlace, only);
                assertArrayEquals(refProbs, inPlace, where + " probabilities written over the pre-activations");
                assertArrayEquals(refSamples, only, where + " samples beside in-place probabilities");

                double[] overwritten = pre.clone();
                new SigmoidBernoulli(threads).sample(overwritten, rows, width, KEY, stream, null, overwritten);
                assertArrayEquals(refSamples, overwritten, where + " samples written over the pre-activations");
            }
        }
    }

    @Test
    void drawsFollowTheirProbabilitiesAndDependOnTheStream() {
        int rows = 400, width = 500;
        double[] pre = preActivations(rows * width, 9);
        double[] a = new double[pre.length], b = new double[pre.length];
        SigmoidBernoulli op = new SigmoidBernoulli(2);
        op.sample(pre, rows, width, KEY, CounterRandom.stream(0, 0, 0), null, a);
        op.sample(pre, rows, width, KEY, CounterRandom.stream(0, 0, 1), null, b);
        double expected = 0.0, gotA = 0.0, differ = 0.0;
        for (int j = 0; j < pre.length; j++) {
            double p = PolynomialSigmoid.of(pre[j]);
            expected += p;
            gotA += a[j];
            differ += a[j] != b[j] ? 1 : 0;
            if (a[j] != 0.0 && a[j] != 1.0) {
                fail("sample " + a[j] + " at " + j + " is not 0 or 1");
            }
        }
        // Sum of 200k Bernoullis: standard deviation below sqrt(n)/2 = 224; bound at 5 of them.
        assertEquals(expected, gotA, 1120.0, "ones drawn vs the sum of the probabilities");
        assertTrue(differ > pre.length / 10.0, "another phase's stream gave nearly the same samples: " + differ);
    }

    @Test
    void parallelSigmoidHasTheBitsOfTheSequentialOne() {
        double[] pre = preActivations(301 * 257, 5);
        double[] reference = pre.clone();
        StableMath.sigmoidInPlace(reference, reference.length);
        for (int threads = 1; threads <= 3; threads++) {
            double[] x = pre.clone();
            new SigmoidBernoulli(threads).sigmoid(x, 301, 257);
            assertArrayEquals(reference, x, "threads=" + threads);
        }
    }

    @Test
    void parallelPolynomialSigmoidIsThePolynomialEntryByEntry() {
        double[] pre = preActivations(301 * 257, 6);
        for (int threads = 1; threads <= 3; threads++) {
            double[] x = pre.clone();
            new SigmoidBernoulli(threads).polynomialSigmoid(x, 301, 257);
            for (int j = 0; j < x.length; j++) {
                if (Double.doubleToRawLongBits(x[j]) != Double.doubleToRawLongBits(PolynomialSigmoid.of(pre[j]))) {
                    fail("threads=" + threads + ": entry " + j + " is " + x[j] + ", expected " + PolynomialSigmoid.of(pre[j]));
                }
            }
        }
    }

    /** Pre-activations over the range where σ goes from ~0 to ~1, with a few extremes. */
    private static double[] preActivations(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int j = 0; j < n; j++) {
            x[j] = j % 97 == 0 ? (rng.nextBoolean() ? 800.0 : -800.0) : 12.0 * (rng.nextDouble() - 0.5);
        }
        return x;
    }
}
