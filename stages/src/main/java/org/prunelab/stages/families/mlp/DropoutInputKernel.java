package org.prunelab.stages.families.mlp;

import org.prunelab.stages.kernel.LayerKernel;

/**
 * Dropout on the input of one layer (a hidden layer's output), wrapped around that layer's kernel so
 * the pass and its kernels stay as they are. While {@link MlpRegularisation} says "training", a forward
 * call drops each input with probability p and scales the kept ones by 1/(1−p) (inverted dropout, as
 * PyTorch's {@code nn.Dropout}); the weight gradient then sees the dropped inputs and the input gradient
 * is multiplied by the same factors. Outside training (evaluation, scoring) it is the inner kernel
 * exactly: dropout is off at evaluation.
 */
final class DropoutInputKernel implements LayerKernel {
    private final LayerKernel inner;
    private final MlpRegularisation regularisation;
    private double[] dropped = new double[0];
    private double[] factor = new double[0];
    private double[] lastInput;
    private int lastRows;

    DropoutInputKernel(LayerKernel inner, MlpRegularisation regularisation) {
        this.inner = inner;
        this.regularisation = regularisation;
    }

    @Override
    public int in() {
        return inner.in();
    }

    @Override
    public int out() {
        return inner.out();
    }

    @Override
    public void forward(double[] w, double[] b, double[] x, int n, double[] z) {
        if (!regularisation.training()) {
            lastInput = null;
            inner.forward(w, b, x, n, z);
            return;
        }
        int size = n * in();
        if (dropped.length < size) {
            dropped = new double[size];
            factor = new double[size];
        }
        double p = regularisation.dropout();
        double scale = 1.0 / (1.0 - p);
        java.util.SplittableRandom rng = regularisation.dropoutStream();
        for (int i = 0; i < size; i++) {
            factor[i] = rng.nextDouble() < p ? 0.0 : scale;
            dropped[i] = x[i] * factor[i];
        }
        lastInput = x;
        lastRows = n;
        inner.forward(w, b, dropped, n, z);
    }

    @Override
    public void backwardInput(double[] w, double[] dz, int n, double[] dx) {
        inner.backwardInput(w, dz, n, dx);
        if (lastInput != null) {
            checkSameBatch(n);
            for (int i = 0, size = n * in(); i < size; i++) {
                dx[i] *= factor[i];
            }
        }
    }

    @Override
    public void weightGradient(double[] x, double[] dz, int n, double alpha, double[] g) {
        if (lastInput != null && x == lastInput) {
            checkSameBatch(n);
            inner.weightGradient(dropped, dz, n, alpha, g);
        } else {
            inner.weightGradient(x, dz, n, alpha, g);
        }
    }

    private void checkSameBatch(int n) {
        if (n != lastRows) {
            throw new IllegalStateException("dropout: backward pass of " + n + " rows after a forward pass of " + lastRows);
        }
    }

    @Override
    public boolean writesKeptGradientOnly() {
        return inner.writesKeptGradientOnly();
    }

    @Override
    public String name() {
        return inner.name() + "+dropout";
    }
}
