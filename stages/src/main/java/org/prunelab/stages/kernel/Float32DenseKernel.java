package org.prunelab.stages.kernel;

import org.prunelab.stages.linalg.Gemm;
import org.prunelab.stages.linalg.Transpose;

/**
 * The dense kernel in single precision ({@code runtime.precision: float32}): every product through
 * {@link Gemm#sgemm}, on a float copy of the weights ({@link WeightMirror}, refreshed after
 * {@link #weightsChanged}) and float copies of the left/right operands, with the result widened to
 * double. Biases are added, and the gradient scaled and accumulated, in double: only the products
 * round to float. Binary operands (0/1) convert exactly; real ones and the weights round once to
 * nearest, so an element differs from the fp64 product by at most about (k + 2)·2⁻²⁴ of the sum of
 * its terms' magnitudes (k = the product's inner dimension).
 *
 * <p>No binary-gather path: on binarised MNIST GEMM wins (see {@link DenseKernel}), and an fp32 gather
 * would be a second single-precision code path to keep exact. Pruned weights are 0.0 in the copy as
 * in the master, so the product is still correct for any mask; pruned gradient entries are never
 * written. Deterministic: sgemm with a fixed thread count is bit-reproducible and every conversion is
 * elementwise.
 *
 * <p>Keeps the weight copy and scratch buffers between calls: one kernel per trainer. Its methods
 * are synchronized so that a kernel shared by mistake is slow, never wrong.
 */
final class Float32DenseKernel implements MaskedDenseKernel {
    private final Gemm gemm;
    private final WeightMirror weights = new WeightMirror();
    private float[] left = new float[0], right = new float[0], product = new float[0];

    Float32DenseKernel(Gemm gemm) {
        this.gemm = gemm;
    }

    @Override
    public synchronized void forward(MaskedDense layer, double[] bias, double[] v, int n, double[] out) {
        int in = layer.inputs(), width = layer.outputs();
        KernelChecks.rows("v", v, n, in);
        KernelChecks.rows("out", out, n, width);
        KernelChecks.bias(bias, width);
        if (n == 0) {
            return;
        }
        float[] w = weights.of(layer.weights());
        left = FloatConversion.atLeast(left, n * in);
        FloatConversion.narrow(v, n * in, left);
        product = FloatConversion.atLeast(product, n * width);
        gemm.sgemm(Transpose.NO, Transpose.NO, n, width, in, 1f, left, in, w, width, 0f, product, width);
        FloatConversion.widenPlusBias(product, bias, n, width, out);
    }

    @Override
    public synchronized void transposed(MaskedDense layer, double[] bias, double[] h, int n, double[] out) {
        int in = layer.inputs(), width = layer.outputs();
        KernelChecks.rows("h", h, n, width);
        KernelChecks.rows("out", out, n, in);
        KernelChecks.bias(bias, in);
        if (n == 0) {
            return;
        }
        float[] w = weights.of(layer.weights());
        right = FloatConversion.atLeast(right, n * width);
        FloatConversion.narrow(h, n * width, right);
        product = FloatConversion.atLeast(product, n * in);
        gemm.sgemm(Transpose.NO, Transpose.YES, n, in, width, 1f, right, width, w, width, 0f, product, in);
        FloatConversion.widenPlusBias(product, bias, n, in, out);
    }

    @Override
    public synchronized void outerGradient(MaskedDense layer, double[] v, double[] h, int n, double alpha,
            double[] g) {
        int in = layer.inputs(), width = layer.outputs();
        KernelChecks.rows("v", v, n, in);
        KernelChecks.rows("h", h, n, width);
        int size = in * width;
        if (g.length != size) {
            throw new IllegalArgumentException("g has length " + g.length + ", expected " + size);
        }
        if (n == 0) {
            return;
        }
        left = FloatConversion.atLeast(left, n * in);
        FloatConversion.narrow(v, n * in, left);
        right = FloatConversion.atLeast(right, n * width);
        FloatConversion.narrow(h, n * width, right);
        product = FloatConversion.atLeast(product, size);
        // vᵀh in float; alpha (e.g. −1/n) is applied in double so it is not rounded to float.
        gemm.sgemm(Transpose.YES, Transpose.NO, in, width, n, 1f, left, in, right, width, 0f, product, width);
        byte[] mask = layer.mask();
        for (int j = 0; j < size; j++) {
            if (mask[j] != 0) {
                g[j] += alpha * product[j];
            }
        }
    }

    @Override
    public synchronized void weightsChanged() {
        weights.invalidate();
    }

    @Override
    public String name() {
        return "dense-fp32";
    }
}
