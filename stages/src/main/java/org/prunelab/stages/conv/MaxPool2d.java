package org.prunelab.stages.conv;

import java.util.Arrays;

/**
 * 2 × 2 max pooling with stride 2 (PyTorch's {@code MaxPool2d(2)}: an odd last row or column is
 * dropped) on row-major NCHW tensors. The forward pass records which input each output came from
 * (the first of equal maxima, in row-major window order), so the backward pass routes each
 * gradient to exactly that input. Stateless: the caller owns the index buffer.
 */
public final class MaxPool2d {
    private MaxPool2d() {
    }

    /** Output side for an input side; at least 2 is needed so that a window fits. */
    public static int outSize(int size) {
        if (size < 2) {
            throw new IllegalArgumentException("2x2 max pooling needs an input side of at least 2, got " + size);
        }
        return size / 2;
    }

    /**
     * y (planes × h/2 × w/2) = max over each 2 × 2 window of x (planes × h × w), where planes = n·C;
     * {@code from[j]} is the index into x of y[j]'s maximum.
     */
    public static void forward(double[] x, int planes, int h, int w, double[] y, int[] from) {
        int ho = outSize(h), wo = outSize(w);
        for (int p = 0; p < planes; p++) {
            int in = p * h * w, out = p * ho * wo;
            for (int oy = 0; oy < ho; oy++) {
                for (int ox = 0; ox < wo; ox++) {
                    int first = in + 2 * oy * w + 2 * ox;
                    int best = first;
                    // Window order (0,0), (0,1), (1,0), (1,1); strict > keeps the first of equal maxima.
                    if (x[first + 1] > x[best]) {
                        best = first + 1;
                    }
                    if (x[first + w] > x[best]) {
                        best = first + w;
                    }
                    if (x[first + w + 1] > x[best]) {
                        best = first + w + 1;
                    }
                    int j = out + oy * wo + ox;
                    y[j] = x[best];
                    from[j] = best;
                }
            }
        }
    }

    /** dx (length {@code inputLength}) = dy routed back to the recorded maxima; overwrites dx. */
    public static void backward(double[] dy, int[] from, int outputs, double[] dx, int inputLength) {
        Arrays.fill(dx, 0, inputLength, 0.0);
        for (int j = 0; j < outputs; j++) {
            dx[from[j]] += dy[j];
        }
    }
}
