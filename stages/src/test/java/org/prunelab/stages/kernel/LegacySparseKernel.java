package org.prunelab.stages.kernel;

import java.util.Arrays;

/**
 * TEST ORACLE: the single-threaded SparseKernel as it was before it was threaded and re-blocked (issue #9),
 * kept verbatim so that tests can demand bit-identical results from the new one at any thread count
 * (the new kernel must not change any output's summation order).
 *
 * <p>Original comment:
 * Kernel whose cost scales with the number of kept connections, and which also skips exact zeros
 * in its binary inputs. The index structures (CSR over visible rows, CSC over hidden columns, both
 * ascending) are built once from a mask; the weight values are read from {@code layer.weights()} at call
 * time, so training can update them in place.
 *
 * <p>Bound to the mask it was built from: a call with a layer whose mask differs throws. Single
 * threaded, fixed summation order, hence deterministic. The only mutable field caches the last mask
 * array found equal, so concurrent use is safe (a race only repeats the check).
 */
final class LegacySparseKernel implements MaskedDenseKernel {
    private final int nv, nh;
    private final byte[] boundMask;     // private copy of the mask the index was built from
    private final int[] rowPtr;         // nv+1 offsets into cols
    private final int[] cols;           // kept hidden unit per entry, ascending within a row
    private final int[] colPtr;         // nh+1 offsets into rowsOfCol
    private final int[] rowsOfCol;      // CSC: kept visible unit per entry, ascending within a column
    private volatile byte[] verified;   // last mask array seen equal to boundMask

    LegacySparseKernel(MaskedDense layer) {
        this.nv = layer.inputs();
        this.nh = layer.outputs();
        this.boundMask = layer.mask().clone();
        this.rowPtr = new int[nv + 1];
        int count = KernelChecks.kept(boundMask);
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
        this.colPtr = new int[nh + 1];
        this.rowsOfCol = new int[count];
        for (int j = 0; j < count; j++) {
            colPtr[cols[j] + 1]++;
        }
        for (int mu = 0; mu < nh; mu++) {
            colPtr[mu + 1] += colPtr[mu];
        }
        int[] fill = java.util.Arrays.copyOf(colPtr, nh);
        for (int i = 0; i < nv; i++) {
            for (int q = rowPtr[i]; q < rowPtr[i + 1]; q++) {
                rowsOfCol[fill[cols[q]]++] = i;
            }
        }
        this.verified = layer.mask();
    }

    private void checkBound(MaskedDense layer) {
        if (layer.inputs() != nv || layer.outputs() != nh) {
            throw new IllegalArgumentException("sparse kernel built for " + nv + "x" + nh + ", called with "
                    + layer.inputs() + "x" + layer.outputs());
        }
        byte[] m = layer.mask();
        if (m == verified) {
            return;
        }
        if (!Arrays.equals(m, boundMask)) {
            throw new IllegalArgumentException("sparse kernel is bound to a different mask; build a new one with MaskedDenseKernels.sparse(layer)");
        }
        verified = m;
    }

    @Override
    public void forward(MaskedDense layer, double[] bias, double[] v, int n, double[] out) {
        checkBound(layer);
        KernelChecks.rows("v", v, n, nv);
        KernelChecks.rows("out", out, n, nh);
        KernelChecks.bias(bias, nh);
        double[] w = layer.weights();
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
            double[] b = bias;
            for (int mu = 0; mu < nh; mu++) {
                out[ob + mu] += b[mu];
            }
        }
    }

    @Override
    public void transposed(MaskedDense layer, double[] bias, double[] h, int n, double[] out) {
        checkBound(layer);
        KernelChecks.rows("h", h, n, nh);
        KernelChecks.rows("out", out, n, nv);
        KernelChecks.bias(bias, nv);
        if (n == 0) {
            return;
        }
        // Gather the kept weights column by column once per call (cost = connections, shared by
        // the n rows), then scatter each active hidden unit's column into the output row. Off
        // hidden units are skipped exactly. Each out[r, i] still sums over mu in ascending order.
        double[] w = layer.weights();
        double[] wt = new double[rowsOfCol.length];
        for (int mu = 0; mu < nh; mu++) {
            for (int k = colPtr[mu], end = colPtr[mu + 1]; k < end; k++) {
                wt[k] = w[rowsOfCol[k] * nh + mu];
            }
        }
        double[] a = bias;
        for (int r = 0; r < n; r++) {
            int hb = r * nh;
            int ob = r * nv;
            Arrays.fill(out, ob, ob + nv, 0.0);
            for (int mu = 0; mu < nh; mu++) {
                double hm = h[hb + mu];
                if (hm == 0.0) {
                    continue;
                }
                for (int k = colPtr[mu], end = colPtr[mu + 1]; k < end; k++) {
                    out[ob + rowsOfCol[k]] += hm * wt[k];
                }
            }
            for (int i = 0; i < nv; i++) {
                out[ob + i] += a[i];
            }
        }
    }

    @Override
    public void outerGradient(MaskedDense layer, double[] v, double[] h, int n, double alpha, double[] g) {
        checkBound(layer);
        KernelChecks.rows("v", v, n, nv);
        KernelChecks.rows("h", h, n, nh);
        if (g.length != nv * nh) {
            throw new IllegalArgumentException("g has length " + g.length + ", expected " + nv * nh);
        }
        if (n == 0) {
            return;
        }
        // For each visible unit, the rows where it is non-zero (binary data: ~13% on MNIST), in row
        // order; the hidden factor transposed so a column is contiguous. Each kept (i, mu) is then
        // alpha * sum_r v_ri h_rmu over those rows only, in ascending r (skipping exact zeros).
        int[] ptr = new int[nv + 1];
        for (int r = 0; r < n; r++) {
            int vb = r * nv;
            for (int i = 0; i < nv; i++) {
                if (v[vb + i] != 0.0) {
                    ptr[i + 1]++;
                }
            }
        }
        for (int i = 0; i < nv; i++) {
            ptr[i + 1] += ptr[i];
        }
        int[] rowOf = new int[ptr[nv]];
        double[] val = new double[ptr[nv]];
        int[] fill = Arrays.copyOf(ptr, nv);
        for (int r = 0; r < n; r++) {
            int vb = r * nv;
            for (int i = 0; i < nv; i++) {
                double x = v[vb + i];
                if (x != 0.0) {
                    rowOf[fill[i]] = r;
                    val[fill[i]++] = x;
                }
            }
        }
        double[] ht = transpose(h, n, nh);
        for (int i = 0; i < nv; i++) {
            int p0 = ptr[i], p1 = ptr[i + 1];
            if (p0 == p1) {
                continue; // alpha * 0 would add only a signed zero
            }
            int gb = i * nh;
            for (int k = rowPtr[i], end = rowPtr[i + 1]; k < end; k++) {
                int mu = cols[k];
                int hb = mu * n;
                double s = 0.0;
                for (int q = p0; q < p1; q++) {
                    s += val[q] * ht[hb + rowOf[q]];
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
