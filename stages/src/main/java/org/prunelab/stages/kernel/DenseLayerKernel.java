package org.prunelab.stages.kernel;

import org.prunelab.stages.linalg.Gemm;
import org.prunelab.stages.linalg.Transpose;

/**
 * Dense layer kernel on {@link Gemm} (native OpenBLAS when it loads) over the full out×in matrix;
 * correct for any mask because pruned weights are exactly 0. Bit-identical for the same inputs and
 * thread count (GEMM never splits a sum over k between threads).
 */
final class DenseLayerKernel implements LayerKernel {
    private final int in, out;
    private final Gemm gemm;

    DenseLayerKernel(int in, int out, Gemm gemm) {
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
    public void forward(double[] w, double[] b, double[] x, int n, double[] z) {
        KernelChecks.rows("x", x, n, in);
        KernelChecks.rows("z", z, n, out);
        KernelChecks.bias(b, out);
        if (n == 0) {
            return;
        }
        for (int r = 0; r < n; r++) {
            System.arraycopy(b, 0, z, r * out, out);
        }
        // z = b + x·Wᵀ (W is out×in): beta = 1 adds the bias rows for free.
        gemm.dgemm(Transpose.NO, Transpose.YES, n, out, in, 1.0, x, in, w, in, 1.0, z, out);
    }

    @Override
    public void backwardInput(double[] w, double[] dz, int n, double[] dx) {
        KernelChecks.rows("dz", dz, n, out);
        KernelChecks.rows("dx", dx, n, in);
        if (n == 0) {
            return;
        }
        gemm.dgemm(Transpose.NO, Transpose.NO, n, in, out, 1.0, dz, out, w, in, 0.0, dx, in);
    }

    @Override
    public void weightGradient(double[] x, double[] dz, int n, double alpha, double[] g) {
        KernelChecks.rows("x", x, n, in);
        KernelChecks.rows("dz", dz, n, out);
        if (n == 0) {
            return;
        }
        gemm.dgemm(Transpose.YES, Transpose.NO, out, in, n, alpha, dz, out, x, in, 1.0, g, in);
    }

    @Override
    public String name() {
        return "dense";
    }
}
