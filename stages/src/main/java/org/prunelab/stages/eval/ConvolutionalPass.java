package org.prunelab.stages.eval;

import java.util.Arrays;
import org.prunelab.stages.conv.Conv2d;
import org.prunelab.stages.conv.MaxPool2d;
import org.prunelab.stages.core.StableMath;
import org.prunelab.stages.linalg.Gemm;
import org.prunelab.stages.linalg.Transpose;

/**
 * The forward and backward pass of the convolutional classifier over one batch of at most
 * {@code maxBatch} images, with the activation buffers it needs between the two. Convolutions run on
 * {@link Conv2d} (im2col + the shared GEMM), the dense layers as one GEMM per batch. One instance per
 * thread: it owns its buffers.
 *
 * <p>The caller writes the batch into {@link #input()} (n × rows × cols, from index 0), calls
 * {@link #forward}, reads {@link #logits()} and, to train, calls {@link #backward}.
 */
final class ConvolutionalPass {
    private static final int K = Classifier.CLASSES;
    private final ConvolutionalShape s;
    private final int maxBatch;
    private final Gemm gemm;
    private final Conv2d conv1, conv2;
    private final double[] x, a1, p1, a2, p2, h, z;
    private final int[] from1, from2;
    private final double[] dz, dh, dp2, da2, dp1, da1;
    private int n;

    ConvolutionalPass(ConvolutionalShape shape, int maxBatch, Gemm gemm) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + maxBatch);
        }
        this.s = shape;
        this.maxBatch = maxBatch;
        this.gemm = gemm;
        int k = ConvolutionalShape.KERNEL, pad = ConvolutionalShape.PADDING;
        this.conv1 = new Conv2d(1, shape.channels1(), k, 1, pad, gemm);
        this.conv2 = new Conv2d(shape.channels1(), shape.channels2(), k, 1, pad, gemm);
        int full = shape.rows() * shape.cols(), half = shape.rows1() * shape.cols1();
        x = new double[maxBatch * full];
        a1 = new double[maxBatch * shape.channels1() * full];
        p1 = new double[maxBatch * shape.channels1() * half];
        from1 = new int[p1.length];
        a2 = new double[maxBatch * shape.channels2() * half];
        p2 = new double[maxBatch * shape.features()];
        from2 = new int[p2.length];
        h = new double[maxBatch * shape.hidden()];
        z = new double[maxBatch * K];
        dz = new double[z.length];
        dh = new double[h.length];
        dp2 = new double[p2.length];
        da2 = new double[a2.length];
        dp1 = new double[p1.length];
        da1 = new double[a1.length];
    }

    int maxBatch() {
        return maxBatch;
    }

    /** The input buffer: image i of the batch at [i·rows·cols, (i+1)·rows·cols). */
    double[] input() {
        return x;
    }

    /** Logits of the last forward pass: row i at [i·10, i·10+10). */
    double[] logits() {
        return z;
    }

    /** Runs the network on the first n images of {@link #input()}. */
    void forward(double[][] params, int n) {
        if (n < 1 || n > maxBatch) {
            throw new IllegalArgumentException("batch of " + n + " images, this pass holds 1.." + maxBatch);
        }
        this.n = n;
        int rows = s.rows(), cols = s.cols(), r1 = s.rows1(), c1 = s.cols1();
        conv1.forward(params[0], params[1], x, n, rows, cols, a1);
        relu(a1, n * s.channels1() * rows * cols);
        MaxPool2d.forward(a1, n * s.channels1(), rows, cols, p1, from1);
        conv2.forward(params[2], params[3], p1, n, r1, c1, a2);
        relu(a2, n * s.channels2() * r1 * c1);
        MaxPool2d.forward(a2, n * s.channels2(), r1, c1, p2, from2);
        int f = s.features(), hu = s.hidden();
        gemm.dgemm(Transpose.NO, Transpose.NO, n, hu, f, 1.0, p2, f, params[4], hu, 0.0, h, hu);
        for (int i = 0; i < n; i++) {
            for (int u = 0; u < hu; u++) {
                double v = h[i * hu + u] + params[5][u];
                h[i * hu + u] = v > 0.0 ? v : 0.0;
            }
        }
        gemm.dgemm(Transpose.NO, Transpose.NO, n, K, hu, 1.0, h, hu, params[6], K, 0.0, z, K);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < K; k++) {
                z[i * K + k] += params[7][k];
            }
        }
    }

    /**
     * After {@link #forward}: adds the gradient of the mean cross-entropy over the batch to
     * {@code grads} (same layout as the parameters) and returns that mean loss.
     */
    double backward(double[][] params, int[] labels, int labelOffset, double[][] grads) {
        int hu = s.hidden(), f = s.features();
        double loss = 0.0;
        double inv = 1.0 / n;
        System.arraycopy(z, 0, dz, 0, n * K);
        for (int i = 0; i < n; i++) {
            StableMath.softmaxInPlace(dz, i * K, K);
            int y = labels[labelOffset + i];
            loss -= Math.log(Math.max(dz[i * K + y], Double.MIN_NORMAL));
            dz[i * K + y] -= 1.0;
            for (int k = 0; k < K; k++) {
                dz[i * K + k] *= inv; // the batch mean's share
            }
        }
        // Dense 2: logits = h·W4 + b4.
        gemm.dgemm(Transpose.YES, Transpose.NO, hu, K, n, 1.0, h, hu, dz, K, 1.0, grads[6], K);
        addColumnSums(dz, n, K, grads[7]);
        gemm.dgemm(Transpose.NO, Transpose.YES, n, hu, K, 1.0, dz, K, params[6], K, 0.0, dh, hu);
        for (int j = 0; j < n * hu; j++) {
            if (h[j] <= 0.0) {
                dh[j] = 0.0; // ReLU derivative, 0 at 0
            }
        }
        // Dense 1: h = ReLU(p2·W3 + b3).
        gemm.dgemm(Transpose.YES, Transpose.NO, f, hu, n, 1.0, p2, f, dh, hu, 1.0, grads[4], hu);
        addColumnSums(dh, n, hu, grads[5]);
        gemm.dgemm(Transpose.NO, Transpose.YES, n, f, hu, 1.0, dh, hu, params[4], hu, 0.0, dp2, f);
        // Pool 2, ReLU 2, conv 2.
        int a2Length = n * s.channels2() * s.rows1() * s.cols1();
        MaxPool2d.backward(dp2, from2, n * f, da2, a2Length);
        reluBackward(a2, da2, a2Length);
        conv2.backward(params[2], p1, n, s.rows1(), s.cols1(), da2, grads[2], grads[3], dp1);
        // Pool 1, ReLU 1, conv 1 (no input gradient needed).
        int a1Length = n * s.channels1() * s.rows() * s.cols();
        MaxPool2d.backward(dp1, from1, n * s.channels1() * s.rows1() * s.cols1(), da1, a1Length);
        reluBackward(a1, da1, a1Length);
        conv1.backward(params[0], x, n, s.rows(), s.cols(), da1, grads[0], grads[1], null);
        return loss * inv;
    }

    private static void relu(double[] a, int length) {
        for (int j = 0; j < length; j++) {
            if (a[j] < 0.0) {
                a[j] = 0.0;
            }
        }
    }

    /** Zeroes the gradient where the ReLU output is 0 (its derivative there is taken as 0). */
    private static void reluBackward(double[] activated, double[] grad, int length) {
        for (int j = 0; j < length; j++) {
            if (activated[j] <= 0.0) {
                grad[j] = 0.0;
            }
        }
    }

    private static void addColumnSums(double[] m, int rows, int cols, double[] out) {
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < cols; c++) {
                out[c] += m[i * cols + c];
            }
        }
    }

    static void zero(double[][] arrays) {
        for (double[] a : arrays) {
            Arrays.fill(a, 0.0);
        }
    }
}
