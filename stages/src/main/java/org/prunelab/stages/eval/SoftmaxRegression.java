package org.prunelab.stages.eval;

import org.prunelab.stages.core.Optimizers;
import org.prunelab.stages.core.StableMath;
/**
 * Multinomial logistic regression p(y|x) = softmax(x·W + c), the fallback classifier of protocol §7.5.
 * W is d x 10 row-major (feature-major), so a forward pass scatters one row of W per non-zero
 * input, which is cheap on binary images. Trained by deterministic mini-batch SGD from W = 0.
 * Single-threaded.
 */
public final class SoftmaxRegression implements Classifier {
    private static final int K = CLASSES;
    private final int d;
    private final double[] w;
    private final double[] c;

    private SoftmaxRegression(int d, double[] w, double[] c) {
        this.d = d;
        this.w = w;
        this.c = c;
    }

    /** A model from saved parameters (see {@link ClassifierFiles}); the arrays are adopted. */
    static SoftmaxRegression of(int d, double[] w, double[] c) {
        if (w.length != d * K || c.length != K) {
            throw new IllegalArgumentException("softmax parameters do not match " + d + " x " + K);
        }
        return new SoftmaxRegression(d, w, c);
    }

    /** Parameters w (d x 10) and c, for saving; not copies. */
    double[][] parameters() {
        return new double[][] {w, c};
    }

    public static SoftmaxRegression train(double[] x, int[] labels, int n, int d, ClassifierTraining t) {
        ClassifierTraining.checkData(x, labels, n, d);
        double[] w = new double[d * K];
        double[] c = new double[K];
        double[] vw = new double[d * K];
        double[] vc = new double[K];
        double[] gw = new double[d * K];
        double[] gc = new double[K];
        double[] z = new double[K];
        SoftmaxRegression model = new SoftmaxRegression(d, w, c);
        for (int epoch = 0; epoch < t.epochs(); epoch++) {
            int[] order = t.order(n, epoch);
            for (int start = 0; start < n; start += t.batchSize()) {
                int end = Math.min(n, start + t.batchSize());
                java.util.Arrays.fill(gw, 0.0);
                java.util.Arrays.fill(gc, 0.0);
                double scale = 1.0 / (end - start);
                for (int q = start; q < end; q++) {
                    int r = order[q];
                    model.logits(x, r, z, 0);
                    StableMath.softmaxInPlace(z, 0, K);
                    z[labels[r]] -= 1.0; // dLoss/dlogits = p − onehot(y)
                    int xb = r * d;
                    for (int i = 0; i < d; i++) {
                        double xi = x[xb + i];
                        if (xi != 0.0) {
                            int wb = i * K;
                            for (int k = 0; k < K; k++) {
                                gw[wb + k] += xi * z[k];
                            }
                        }
                    }
                    for (int k = 0; k < K; k++) {
                        gc[k] += z[k];
                    }
                }
                double lr = t.learningRate(), mom = t.momentum(), l2 = t.l2();
                for (int j = 0; j < gw.length; j++) {
                    gw[j] = scale * gw[j]; // batch mean
                }
                for (int k = 0; k < K; k++) {
                    gc[k] = scale * gc[k];
                }
                Optimizers.sgdLrInVelocity(w, gw, vw, null, mom, lr, l2);
                Optimizers.sgdLrInVelocity(c, gc, vc, null, mom, lr, 0.0);
            }
        }
        return model;
    }

    /** z[zb..zb+10) = logits of row r of x. */
    private void logits(double[] x, int r, double[] z, int zb) {
        System.arraycopy(c, 0, z, zb, K);
        int xb = r * d;
        for (int i = 0; i < d; i++) {
            double xi = x[xb + i];
            if (xi != 0.0) {
                int wb = i * K;
                for (int k = 0; k < K; k++) {
                    z[zb + k] += xi * w[wb + k];
                }
            }
        }
    }

    @Override
    public int inputs() {
        return d;
    }

    @Override
    public double[] probabilities(double[] images, int n) {
        if ((long) n * d > images.length) {
            throw new IllegalArgumentException("images has " + images.length + " values, need " + n + "*" + d);
        }
        double[] p = new double[n * K];
        for (int r = 0; r < n; r++) {
            logits(images, r, p, r * K);
            StableMath.softmaxInPlace(p, r * K, K);
        }
        return p;
    }
}
