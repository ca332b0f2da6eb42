package org.prunelab.stages.kernel;

import org.prunelab.stages.linalg.Gemm;
import org.prunelab.stages.linalg.Transpose;

/**
 * The dense layer kernel in single precision ({@code runtime.precision: float32}): the three products
 * through {@link Gemm#sgemm} on float copies of the operands, results widened to double; the bias is
 * added, and the weight gradient scaled and accumulated, in double. Error per element against fp64:
 * at most about (k + 2)·2⁻²⁴ of the sum of its terms' magnitudes (k = the inner dimension).
 *
 * <p>The weights are converted at every call that reads them, into a reused buffer: the MLP reads a
 * layer's weights once per forward and once per input gradient (the first layer has none), so a
 * training converts each large layer once per update, and a copy cached across calls could go stale
 * where pruning or a restore changes the weights in place. Deterministic for a fixed thread count;
 * scratch is reused between calls (one kernel per pass; methods synchronized, so sharing is only slow).
 */
final class Float32DenseLayerKernel implements LayerKernel {
    private final int in, out;
    private final Gemm gemm;
    private float[] weights = new float[0], left = new float[0], right = new float[0], product = new float[0];

    Float32DenseLayerKernel(int in, int out, Gemm gemm) {
        this.in = in;
        this.out = out;
        this.gemm = gemm;
    }

    @Override
    public int in() {
        return in;
    }

    @Override
    public int out() {
        return out;
    }

    @Override
    public synchronized void forward(double[] w, double[] b, double[] x, int n, double[] z) {
        KernelChecks.rows("x", x, n, in);
        KernelChecks.rows("z", z, n, out);
        KernelChecks.bias(b, out);
        if (n == 0) {
            return;
        }
        float[] wf = narrowWeights(w);
        left = FloatConversion.atLeast(left, n * in);
        FloatConversion.narrow(x, n * in, left);
        product = FloatConversion.atLeast(product, n * out);
        // z = b + x·Wᵀ (W is out×in)
        gemm.sgemm(Transpose.NO, Transpose.YES, n, out, in, 1f, left, in, wf, in, 0f, product, out);
        FloatConversion.widenPlusBias(product, b, n, out, z);
    }

    @Override
    public synchronized void backwardInput(double[] w, double[] dz, int n, double[] dx) {
        KernelChecks.rows("dz", dz, n, out);
        KernelChecks.rows("dx", dx, n, in);
        if (n == 0) {
            return;
        }
        float[] wf = narrowWeights(w);
        right = FloatConversion.atLeast(right, n * out);
        FloatConversion.narrow(dz, n * out, right);
        product = FloatConversion.atLeast(product, n * in);
        gemm.sgemm(Transpose.NO, Transpose.NO, n, in, out, 1f, right, out, wf, in, 0f, product, in);
        for (int j = 0, end = n * in; j < end; j++) {
            dx[j] = product[j];
        }
    }

    @Override
    public synchronized void weightGradient(double[] x, double[] dz, int n, double alpha, double[] g) {
        KernelChecks.rows("x", x, n, in);
        KernelChecks.rows("dz", dz, n, out);
        int size = in * out;
        if (g.length < size) {
            throw new IllegalArgumentException("g has length " + g.length + ", need at least " + size);
        }
        if (n == 0) {
            return;
        }
        left = FloatConversion.atLeast(left, n * in);
        FloatConversion.narrow(x, n * in, left);
        right = FloatConversion.atLeast(right, n * out);
        FloatConversion.narrow(dz, n * out, right);
        product = FloatConversion.atLeast(product, size);
        gemm.sgemm(Transpose.YES, Transpose.NO, out, in, n, 1f, right, out, left, in, 0f, product, in);
        for (int j = 0; j < size; j++) {
            g[j] += alpha * product[j];
        }
    }

    private float[] narrowWeights(double[] w) {
        int size = in * out;
        if (w.length < size) {
            throw new IllegalArgumentException("w has length " + w.length + ", need at least " + size);
        }
        weights = FloatConversion.atLeast(weights, size);
        FloatConversion.narrow(w, size, weights);
        return weights;
    }

    @Override
    public String name() {
        return "dense-fp32";
    }
}
