package org.prunelab.stages.conv;

/**
 * Batch normalisation over the channels of an NCHW tensor (PyTorch's {@code BatchNorm2d}): in
 * training, each channel is normalised with the batch's mean and biased variance over (n, h, w),
 * then scaled by γ and shifted by β, and the running statistics move by {@code momentum} towards
 * the batch's (unbiased variance, as PyTorch keeps it); in evaluation the running statistics are used.
 * Keeps the normalised input of the last training forward for {@link #backward}.
 */
public final class BatchNorm2d {
    public static final double EPS = 1e-5, MOMENTUM = 0.1;
    private final int channels;
    private double[] xhat = new double[0];
    private final double[] invStd;

    public BatchNorm2d(int channels) {
        this.channels = channels;
        this.invStd = new double[channels];
    }

    /**
     * y = γ·x̂ + β. Training: x̂ from batch statistics, running mean/var updated in place.
     * Evaluation ({@code training == false}): x̂ from the running statistics.
     */
    public void forward(double[] x, int n, int spatial, double[] gamma, double[] beta, double[] runningMean,
                        double[] runningVar, boolean training, double[] y) {
        int len = n * channels * spatial;
        if (xhat.length < len) {
            xhat = new double[len];
        }
        int count = n * spatial;
        for (int c = 0; c < channels; c++) {
            double mean, var;
            if (training) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    int off = (i * channels + c) * spatial;
                    for (int p = 0; p < spatial; p++) {
                        s += x[off + p];
                    }
                }
                mean = s / count;
                double ss = 0;
                for (int i = 0; i < n; i++) {
                    int off = (i * channels + c) * spatial;
                    for (int p = 0; p < spatial; p++) {
                        double d = x[off + p] - mean;
                        ss += d * d;
                    }
                }
                var = ss / count;
                runningMean[c] = (1 - MOMENTUM) * runningMean[c] + MOMENTUM * mean;
                runningVar[c] = (1 - MOMENTUM) * runningVar[c] + MOMENTUM * (count > 1 ? ss / (count - 1) : var);
            } else {
                mean = runningMean[c];
                var = runningVar[c];
            }
            double inv = 1.0 / Math.sqrt(var + EPS);
            invStd[c] = inv;
            for (int i = 0; i < n; i++) {
                int off = (i * channels + c) * spatial;
                for (int p = 0; p < spatial; p++) {
                    double h = (x[off + p] - mean) * inv;
                    xhat[off + p] = h;
                    y[off + p] = gamma[c] * h + beta[c];
                }
            }
        }
    }

    /**
     * Gradients of a training forward: adds dγ, dβ to gGamma, gBeta and overwrites dx with
     * (γ·inv/N)·(N·dy − Σdy − x̂·Σ(dy·x̂)) per channel.
     */
    public void backward(double[] dy, int n, int spatial, double[] gamma, double[] gGamma, double[] gBeta, double[] dx) {
        int count = n * spatial;
        for (int c = 0; c < channels; c++) {
            double sum = 0, dot = 0;
            for (int i = 0; i < n; i++) {
                int off = (i * channels + c) * spatial;
                for (int p = 0; p < spatial; p++) {
                    sum += dy[off + p];
                    dot += dy[off + p] * xhat[off + p];
                }
            }
            gGamma[c] += dot;
            gBeta[c] += sum;
            double scale = gamma[c] * invStd[c] / count;
            for (int i = 0; i < n; i++) {
                int off = (i * channels + c) * spatial;
                for (int p = 0; p < spatial; p++) {
                    dx[off + p] = scale * (count * dy[off + p] - sum - xhat[off + p] * dot);
                }
            }
        }
    }
}
