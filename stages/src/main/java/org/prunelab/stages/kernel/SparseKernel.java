package org.prunelab.stages.kernel;

import java.util.Arrays;
import org.prunelab.stages.rbm.Rbm;

/**
 * Kernel whose cost scales with the number of kept connections. The index structure (CSR over
 * visible rows: for row i, the kept hidden columns in ascending order) is built once from a mask;
 * the weight values are read from {@code rbm.w} at call time, so training can update them in place.
 *
 * <p>Bound to the mask it was built from: a call with an RBM whose mask differs throws. Single
 * threaded, fixed summation order, hence deterministic. The only mutable field caches the last mask
 * array found equal, so concurrent use is safe (a race only repeats the check).
 */
final class SparseKernel implements RbmKernel {
    private final int nv, nh;
    private final byte[] boundMask;     // private copy of the mask the index was built from
    private final int[] rowPtr;         // nv+1 offsets into cols
    private final int[] cols;           // kept hidden unit per entry, ascending within a row
    private volatile byte[] verified;   // last mask array seen equal to boundMask

    SparseKernel(Rbm rbm) {
        this.nv = rbm.nv;
        this.nh = rbm.nh;
        this.boundMask = rbm.mask.clone();
        this.rowPtr = new int[nv + 1];
        int count = rbm.connections();
        this.cols = new int[count];
        int k = 0;
        for (int i = 0; i < nv; i++) {
            rowPtr[i] = k;
            int base = i * nh;
            for (int mu = 0; mu < nh; mu++) {
                if (boundMask[base + mu] != 0) {
                    cols[k++] = mu;
                }
            }
        }
        rowPtr[nv] = k;
        this.verified = rbm.mask;
    }

    private void checkBound(Rbm rbm) {
        if (rbm.nv != nv || rbm.nh != nh) {
            throw new IllegalArgumentException("sparse kernel built for " + nv + "x" + nh + ", called with "
                    + rbm.nv + "x" + rbm.nh);
        }
        byte[] m = rbm.mask;
        if (m == verified) {
            return;
        }
        if (!Arrays.equals(m, boundMask)) {
            throw new IllegalArgumentException("sparse kernel is bound to a different mask; build a new one with RbmKernels.sparse(rbm)");
        }
        verified = m;
    }

    @Override
    public void hiddenPreActivation(Rbm rbm, double[] v, int n, double[] out) {
        checkBound(rbm);
        KernelChecks.rows("v", v, n, nv);
        KernelChecks.rows("out", out, n, nh);
        double[] w = rbm.w;
        for (int r = 0; r < n; r++) {
            int ob = r * nh;
            Arrays.fill(out, ob, ob + nh, 0.0);
            int vb = r * nv;
            // Scatter the kept weights of each active visible row. Zero inputs contribute exactly
            // nothing, so skipping them is exact and pays off on binary data (mostly-off pixels).
            for (int i = 0; i < nv; i++) {
                double vi = v[vb + i];
                if (vi == 0.0) {
                    continue;
                }
                int wb = i * nh;
                for (int k = rowPtr[i], end = rowPtr[i + 1]; k < end; k++) {
                    int mu = cols[k];
                    out[ob + mu] += vi * w[wb + mu];
                }
            }
            double[] b = rbm.b;
            for (int mu = 0; mu < nh; mu++) {
                out[ob + mu] += b[mu];
            }
        }
    }

    @Override
    public void visiblePreActivation(Rbm rbm, double[] h, int n, double[] out) {
        checkBound(rbm);
        KernelChecks.rows("h", h, n, nh);
        KernelChecks.rows("out", out, n, nv);
        double[] w = rbm.w;
        double[] a = rbm.a;
        for (int r = 0; r < n; r++) {
            int hb = r * nh;
            int ob = r * nv;
            // Gather: a dot product of row i's kept weights (contiguous in w) with the hidden row
            // (small enough to stay in L1).
            for (int i = 0; i < nv; i++) {
                int wb = i * nh;
                double s = 0.0;
                for (int k = rowPtr[i], end = rowPtr[i + 1]; k < end; k++) {
                    int mu = cols[k];
                    s += h[hb + mu] * w[wb + mu];
                }
                out[ob + i] = s + a[i];
            }
        }
    }

    @Override
    public void weightGradient(Rbm rbm, double[] v, double[] h, int n, double alpha, double[] g) {
        checkBound(rbm);
        KernelChecks.rows("v", v, n, nv);
        KernelChecks.rows("h", h, n, nh);
        if (g.length != nv * nh) {
            throw new IllegalArgumentException("g has length " + g.length + ", expected " + nv * nh);
        }
        if (n == 0) {
            return;
        }
        // Transpose both factors so every kept (i, mu) is one contiguous dot product over the rows;
        // this evaluates exactly alpha * sum_r v_ri h_rmu, in row order, per kept entry.
        double[] vt = transpose(v, n, nv);
        double[] ht = transpose(h, n, nh);
        for (int i = 0; i < nv; i++) {
            int vb = i * n;
            int gb = i * nh;
            for (int k = rowPtr[i], end = rowPtr[i + 1]; k < end; k++) {
                int mu = cols[k];
                int hb = mu * n;
                double s = 0.0;
                for (int r = 0; r < n; r++) {
                    s += vt[vb + r] * ht[hb + r];
                }
                g[gb + mu] += alpha * s;
            }
        }
    }

    private static double[] transpose(double[] x, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            int xb = r * cols;
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = x[xb + c];
            }
        }
        return t;
    }

    /** Number of kept connections the index was built with. */
    int connections() {
        return cols.length;
    }

    @Override
    public String name() {
        return "sparse";
    }
}
