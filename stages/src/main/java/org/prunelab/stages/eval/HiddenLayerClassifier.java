package org.prunelab.stages.eval;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.core.Optimizers;
import org.prunelab.stages.core.StableMath;

/**
 * One-hidden-layer ReLU network d-H-10 with softmax output, the auxiliary classifier of protocol §7.5
 * (784-256-10). Private to the evaluation code: a small, deterministic, single-threaded trainer,
 * not a general MLP.
 *
 * <p>Layouts are input-major (W1 is d x H, W2 is H x 10), so the forward pass and the W1 gradient
 * touch only the rows of non-zero inputs (about 19 % of pixels for binarised MNIST). He
 * initialisation W ~ N(0, 2/fan_in), zero biases, from {@code Seeds.stream(seed, 0)}; mini-batch SGD
 * with momentum and L2 on the weights (see {@link ClassifierTraining}).
 */
public final class HiddenLayerClassifier implements Classifier {
    private static final int K = CLASSES;
    private final int d, hidden;
    private final double[] w1, b1, w2, b2;

    private HiddenLayerClassifier(int d, int hidden, double[] w1, double[] b1, double[] w2, double[] b2) {
        this.d = d;
        this.hidden = hidden;
        this.w1 = w1;
        this.b1 = b1;
        this.w2 = w2;
        this.b2 = b2;
    }

    /** A network from saved parameters (see {@link ClassifierFiles}); the arrays are adopted. */
    static HiddenLayerClassifier of(int d, int hidden, double[] w1, double[] b1, double[] w2, double[] b2) {
        if (w1.length != d * hidden || b1.length != hidden || w2.length != hidden * K || b2.length != K) {
            throw new IllegalArgumentException("MLP parameters do not match " + d + "-" + hidden + "-" + K);
        }
        return new HiddenLayerClassifier(d, hidden, w1, b1, w2, b2);
    }

    /** Parameters in the order w1 (d x H), b1, w2 (H x 10), b2, for saving; not copies. */
    double[][] parameters() {
        return new double[][] {w1, b1, w2, b2};
    }

    public static HiddenLayerClassifier train(double[] x, int[] labels, int n, int d, int hidden, ClassifierTraining t) {
        ClassifierTraining.checkData(x, labels, n, d);
        if (hidden < 1) {
            throw new IllegalArgumentException("hidden must be >= 1, got " + hidden);
        }
        SplittableRandom init = Seeds.stream(t.seed(), 0);
        double[] w1 = new double[d * hidden];
        double s1 = Math.sqrt(2.0 / d);
        for (int j = 0; j < w1.length; j++) {
            w1[j] = s1 * StableMath.gaussian(init);
        }
        double[] w2 = new double[hidden * K];
        double s2 = Math.sqrt(2.0 / hidden);
        for (int j = 0; j < w2.length; j++) {
            w2[j] = s2 * StableMath.gaussian(init);
        }
        HiddenLayerClassifier m = new HiddenLayerClassifier(d, hidden, w1, new double[hidden], w2, new double[K]);
        double[][] params = {m.w1, m.b1, m.w2, m.b2};
        double[][] grads = {new double[w1.length], new double[hidden], new double[w2.length], new double[K]};
        double[][] vel = {new double[w1.length], new double[hidden], new double[w2.length], new double[K]};
        boolean[] decayed = {true, false, true, false};
        double[] h = new double[hidden];
        double[] z = new double[K];
        double[] dh = new double[hidden];
        for (int epoch = 0; epoch < t.epochs(); epoch++) {
            int[] order = t.order(n, epoch);
            for (int start = 0; start < n; start += t.batchSize()) {
                int end = Math.min(n, start + t.batchSize());
                for (double[] g : grads) {
                    Arrays.fill(g, 0.0);
                }
                for (int q = start; q < end; q++) {
                    int r = order[q];
                    m.forward(x, r, h, z, 0);
                    StableMath.softmaxInPlace(z, 0, K);
                    z[labels[r]] -= 1.0; // dLoss/dlogits
                    double[] gw2 = grads[2], gb2 = grads[3], gw1 = grads[0], gb1 = grads[1];
                    for (int k = 0; k < K; k++) {
                        gb2[k] += z[k];
                    }
                    for (int u = 0; u < hidden; u++) {
                        double hu = h[u];
                        int wb = u * K;
                        double back = 0.0;
                        for (int k = 0; k < K; k++) {
                            if (hu != 0.0) {
                                gw2[wb + k] += hu * z[k];
                            }
                            back += m.w2[wb + k] * z[k];
                        }
                        dh[u] = hu > 0.0 ? back : 0.0; // ReLU derivative (0 at 0)
                        gb1[u] += dh[u];
                    }
                    int xb = r * d;
                    for (int i = 0; i < d; i++) {
                        double xi = x[xb + i];
                        if (xi != 0.0) {
                            int wb = i * hidden;
                            for (int u = 0; u < hidden; u++) {
                                gw1[wb + u] += xi * dh[u];
                            }
                        }
                    }
                }
                double scale = 1.0 / (end - start);
                double lr = t.learningRate(), mom = t.momentum(), l2 = t.l2();
                for (int p = 0; p < params.length; p++) {
                    double[] g = grads[p];
                    for (int j = 0; j < g.length; j++) {
                        g[j] = scale * g[j]; // batch mean
                    }
                    Optimizers.sgdLrInVelocity(params[p], g, vel[p], null, mom, lr, decayed[p] ? l2 : 0.0);
                }
            }
        }
        return m;
    }

    /** h = ReLU(x_r·W1 + b1); z[zb..zb+10) = h·W2 + b2 (logits). */
    private void forward(double[] x, int r, double[] h, double[] z, int zb) {
        System.arraycopy(b1, 0, h, 0, hidden);
        int xb = r * d;
        for (int i = 0; i < d; i++) {
            double xi = x[xb + i];
            if (xi != 0.0) {
                int wb = i * hidden;
                for (int u = 0; u < hidden; u++) {
                    h[u] += xi * w1[wb + u];
                }
            }
        }
        System.arraycopy(b2, 0, z, zb, K);
        for (int u = 0; u < hidden; u++) {
            double hu = h[u] > 0.0 ? h[u] : 0.0;
            h[u] = hu;
            if (hu != 0.0) {
                int wb = u * K;
                for (int k = 0; k < K; k++) {
                    z[zb + k] += hu * w2[wb + k];
                }
            }
        }
    }

    @Override
    public int inputs() {
        return d;
    }

    public int hidden() {
        return hidden;
    }

    @Override
    public double[] probabilities(double[] images, int n) {
        if ((long) n * d > images.length) {
            throw new IllegalArgumentException("images has " + images.length + " values, need " + n + "*" + d);
        }
        double[] p = new double[n * K];
        double[] h = new double[hidden];
        for (int r = 0; r < n; r++) {
            forward(images, r, h, p, r * K);
            StableMath.softmaxInPlace(p, r * K, K);
        }
        return p;
    }
}
