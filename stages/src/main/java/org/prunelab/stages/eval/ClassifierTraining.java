package org.prunelab.stages.eval;

import java.util.SplittableRandom;
import org.prunelab.stages.Seeds;

/**
 * Mini-batch SGD settings shared by the auxiliary classifiers. The gradient is the mean over the
 * batch; L2 decay adds {@code l2·θ} to the weight gradient (not to biases); momentum is classical
 * (v ← momentum·v − lr·g, θ ← θ + v). Epoch e visits the rows in the order of a Fisher–Yates
 * shuffle drawn from {@code Seeds.stream(seed, 1, e)}; initial weights come from
 * {@code Seeds.stream(seed, 0)}. A final partial batch is used, not dropped.
 */
public record ClassifierTraining(int epochs, int batchSize, double learningRate, double momentum, double l2, long seed) {
    public ClassifierTraining {
        if (epochs < 0 || batchSize < 1) {
            throw new IllegalArgumentException("need epochs >= 0 and batchSize >= 1, got " + epochs + ", " + batchSize);
        }
        if (!(learningRate > 0.0) || !(momentum >= 0.0 && momentum < 1.0) || !(l2 >= 0.0)) {
            throw new IllegalArgumentException("need learningRate > 0, 0 <= momentum < 1, l2 >= 0; got " + learningRate
                    + ", " + momentum + ", " + l2);
        }
    }

    /** The row order of epoch {@code epoch}. */
    int[] order(int n, int epoch) {
        int[] idx = new int[n];
        for (int j = 0; j < n; j++) {
            idx[j] = j;
        }
        SplittableRandom rng = Seeds.stream(seed, 1, epoch);
        for (int j = n - 1; j > 0; j--) {
            int k = rng.nextInt(j + 1);
            int t = idx[j];
            idx[j] = idx[k];
            idx[k] = t;
        }
        return idx;
    }

    static void checkData(double[] x, int[] labels, int n, int d) {
        if (n < 1 || (long) n * d > x.length || labels.length < n) {
            throw new IllegalArgumentException("need n >= 1 rows of " + d + " features and n labels; got " + x.length
                    + " values, " + labels.length + " labels, n=" + n);
        }
        for (int r = 0; r < n; r++) {
            if (labels[r] < 0 || labels[r] >= Classifier.CLASSES) {
                throw new IllegalArgumentException("label " + labels[r] + " at row " + r + " is outside 0.." + (Classifier.CLASSES - 1));
            }
        }
    }
}
