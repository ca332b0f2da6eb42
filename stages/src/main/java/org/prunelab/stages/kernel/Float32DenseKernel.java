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
        KernelChecks.gradient(g, in * width);
        if (n == 0) {
            return;
        }
        left = FloatConversion.atLeast(left, n * in);
        FloatConversion.narrow(v, n * in, left);
        right = FloatConversion.atLeast(right, n * width);
        FloatConversion.narrow(h, n * width, right);
        // vᵀh in float; alpha (e.g. −1/n) is applied in double so it is not rounded to float.
        accumulate(layer, n, alpha, g);
    }

    /**
     * Both phases in one sgemm when the data and model phases have the same number of rows (CD, and
     * PCD with as many chains as batch rows): the model rows stacked on the data rows, the data
     * phase's right operand negated (exact in float), so the product is xModelᵀyModel − xDataᵀyData
     * over k = 2n and g is read and written once per update instead of twice. Rounds once in float
     * for both phases: each element is within (2n + 3)·2⁻²⁴ of the sum of its terms' magnitudes,
     * times 1/n (Float32KernelTest).
     */
    @Override
    public synchronized void contrastiveGradient(MaskedDense layer, double[] xData, double[] yData, int n,
            double[] xModel, double[] yModel, int m, double[] g) {
        int in = layer.inputs(), width = layer.outputs();
        KernelChecks.rows("xData", xData, n, in);
        KernelChecks.rows("yData", yData, n, width);
        KernelChecks.rows("xModel", xModel, m, in);
        KernelChecks.rows("yModel", yModel, m, width);
        KernelChecks.gradient(g, in * width);
        if (n != m || n == 0) {
            MaskedDenseKernel.super.contrastiveGradient(layer, xData, yData, n, xModel, yModel, m, g);
            return;
        }
        left = FloatConversion.atLeast(left, 2 * n * in);
        FloatConversion.narrow(xModel, n * in, left);
        FloatConversion.narrowInto(xData, n * in, left, n * in);
        right = FloatConversion.atLeast(right, 2 * n * width);
        FloatConversion.narrow(yModel, n * width, right);
        FloatConversion.narrowNegatedInto(yData, n * width, right, n * width);
        accumulate(layer, 2 * n, 1.0 / n, g);
    }

    /**
     * g += alpha·leftᵀ·right over the first k rows of the float operands, kept entries only. A
     * fully kept layer takes a branch-free loop the JIT vectorises (the masked one cannot be).
     */
    private void accumulate(MaskedDense layer, int k, double alpha, double[] g) {
        int in = layer.inputs(), width = layer.outputs(), size = in * width;
        product = FloatConversion.atLeast(product, size);
        gemm.sgemm(Transpose.YES, Transpose.NO, in, width, k, 1f, left, in, right, width, 0f, product, width);
        byte[] mask = layer.mask();
        if (KernelChecks.kept(mask) == size) {
            for (int j = 0; j < size; j++) {
                g[j] += alpha * product[j];
            }
            return;
        }
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
