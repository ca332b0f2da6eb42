package org.prunelab.stages.kernel;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Dense kernel on EJML's single-threaded row-major products. Correct for any mask because pruned
 * weights are exactly 0.0 (MaskedDense invariant). Stateless, so one instance may be shared.
 */
final class DenseKernel implements MaskedDenseKernel {
    @Override
    public void forward(MaskedDense layer, double[] bias, double[] v, int n, double[] out) {
        KernelChecks.rows("v", v, n, layer.inputs());
        KernelChecks.rows("out", out, n, layer.outputs());
        KernelChecks.bias(bias, layer.outputs());
        if (n == 0) {
            return;
        }
        // wrap() shares the arrays; out is long enough, so EJML's reshape keeps it (no reallocation).
        CommonOps_DDRM.mult(DMatrixRMaj.wrap(n, layer.inputs(), v), DMatrixRMaj.wrap(layer.inputs(), layer.outputs(), layer.weights()),
                DMatrixRMaj.wrap(n, layer.outputs(), out));
        addRowBias(out, n, bias);
    }

    @Override
    public void transposed(MaskedDense layer, double[] bias, double[] h, int n, double[] out) {
        KernelChecks.rows("h", h, n, layer.outputs());
        KernelChecks.rows("out", out, n, layer.inputs());
        KernelChecks.bias(bias, layer.inputs());
        if (n == 0) {
            return;
        }
        CommonOps_DDRM.multTransB(DMatrixRMaj.wrap(n, layer.outputs(), h), DMatrixRMaj.wrap(layer.inputs(), layer.outputs(), layer.weights()),
                DMatrixRMaj.wrap(n, layer.inputs(), out));
        addRowBias(out, n, bias);
    }

    @Override
    public void outerGradient(MaskedDense layer, double[] v, double[] h, int n, double alpha, double[] g) {
        KernelChecks.rows("v", v, n, layer.inputs());
        KernelChecks.rows("h", h, n, layer.outputs());
        int size = layer.inputs() * layer.outputs();
        if (g.length != size) {
            throw new IllegalArgumentException("g has length " + g.length + ", expected " + size);
        }
        if (n == 0) {
            return;
        }
        DMatrixRMaj vm = DMatrixRMaj.wrap(n, layer.inputs(), v);
        DMatrixRMaj hm = DMatrixRMaj.wrap(n, layer.outputs(), h);
        // vᵀh into scratch, then add only the kept entries: g must stay untouched where mask == 0.
        // A per-call scratch keeps the kernel stateless; it is small next to the n*nv*nh product.
        double[] t = new double[size];
        CommonOps_DDRM.multTransA(vm, hm, DMatrixRMaj.wrap(layer.inputs(), layer.outputs(), t));
        byte[] mask = layer.mask();
        for (int j = 0; j < size; j++) {
            if (mask[j] != 0) {
                g[j] += alpha * t[j];
            }
        }
    }

    private static void addRowBias(double[] out, int n, double[] bias) {
        int width = bias.length;
        for (int r = 0, base = 0; r < n; r++, base += width) {
            for (int k = 0; k < width; k++) {
                out[base + k] += bias[k];
            }
        }
    }

    @Override
    public String name() {
        return "dense";
    }
}
