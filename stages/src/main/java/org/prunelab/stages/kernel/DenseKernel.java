package org.prunelab.stages.kernel;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.prunelab.stages.rbm.Rbm;

/**
 * Dense kernel on EJML's single-threaded row-major products. Correct for any mask because pruned
 * weights are exactly 0.0 (Rbm invariant). Stateless, so one instance may be shared.
 */
final class DenseKernel implements RbmKernel {
    @Override
    public void hiddenPreActivation(Rbm rbm, double[] v, int n, double[] out) {
        KernelChecks.rows("v", v, n, rbm.nv);
        KernelChecks.rows("out", out, n, rbm.nh);
        if (n == 0) {
            return;
        }
        // wrap() shares the arrays; out is long enough, so EJML's reshape keeps it (no reallocation).
        CommonOps_DDRM.mult(DMatrixRMaj.wrap(n, rbm.nv, v), DMatrixRMaj.wrap(rbm.nv, rbm.nh, rbm.w),
                DMatrixRMaj.wrap(n, rbm.nh, out));
        addRowBias(out, n, rbm.b);
    }

    @Override
    public void visiblePreActivation(Rbm rbm, double[] h, int n, double[] out) {
        KernelChecks.rows("h", h, n, rbm.nh);
        KernelChecks.rows("out", out, n, rbm.nv);
        if (n == 0) {
            return;
        }
        CommonOps_DDRM.multTransB(DMatrixRMaj.wrap(n, rbm.nh, h), DMatrixRMaj.wrap(rbm.nv, rbm.nh, rbm.w),
                DMatrixRMaj.wrap(n, rbm.nv, out));
        addRowBias(out, n, rbm.a);
    }

    @Override
    public void weightGradient(Rbm rbm, double[] v, double[] h, int n, double alpha, double[] g) {
        KernelChecks.rows("v", v, n, rbm.nv);
        KernelChecks.rows("h", h, n, rbm.nh);
        int size = rbm.nv * rbm.nh;
        if (g.length != size) {
            throw new IllegalArgumentException("g has length " + g.length + ", expected " + size);
        }
        if (n == 0) {
            return;
        }
        DMatrixRMaj vm = DMatrixRMaj.wrap(n, rbm.nv, v);
        DMatrixRMaj hm = DMatrixRMaj.wrap(n, rbm.nh, h);
        // vᵀh into scratch, then add only the kept entries: g must stay untouched where mask == 0.
        // A per-call scratch keeps the kernel stateless; it is small next to the n*nv*nh product.
        double[] t = new double[size];
        CommonOps_DDRM.multTransA(vm, hm, DMatrixRMaj.wrap(rbm.nv, rbm.nh, t));
        byte[] mask = rbm.mask;
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
