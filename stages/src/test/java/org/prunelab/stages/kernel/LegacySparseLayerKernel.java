package org.prunelab.stages.kernel;

import java.util.Arrays;

/**
 * TEST ORACLE: the single-threaded SparseLayerKernel as it was before it was threaded and re-blocked (issue #9),
 * kept verbatim so that tests can demand bit-identical results from the new one at any thread count
 * (the new kernel must not change any output's summation order).
 *
 * <p>Original comment:
 * A layer kernel whose cost scales with the kept weights: CSR over output rows (kept input
 * indices ascending), built once from a mask. Weight values are read from {@code w} at call time,
 * so training may update them in place; the mask must not change (build a new kernel after pruning).
 */
final class LegacySparseLayerKernel implements LayerKernel {
    private final int in, out;
    private final int[] rowPtr;   // out+1 offsets into cols
    private final int[] cols;     // kept input index per entry, ascending within a row
    private final int[] flat;     // o*in + cols[k], the entry's index into w and g

    LegacySparseLayerKernel(byte[] mask, int in, int out) {
        if (mask.length != in * out) {
            throw new IllegalArgumentException("mask has length " + mask.length + ", expected " + out + "x" + in);
        }
        this.in = in;
        this.out = out;
        int count = 0;
        for (byte m : mask) {
            count += m != 0 ? 1 : 0;
        }
        rowPtr = new int[out + 1];
        cols = new int[count];
        flat = new int[count];
        int k = 0;
        for (int o = 0; o < out; o++) {
            rowPtr[o] = k;
            for (int i = 0; i < in; i++) {
                if (mask[o * in + i] != 0) {
                    cols[k] = i;
                    flat[k++] = o * in + i;
                }
            }
        }
        rowPtr[out] = k;
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
        for (int r = 0; r < n; r++) {
            int xb = r * in;
            int zb = r * out;
            for (int o = 0; o < out; o++) {
                double s = 0.0;
                for (int k = rowPtr[o], end = rowPtr[o + 1]; k < end; k++) {
                    s += x[xb + cols[k]] * w[flat[k]];
                }
                z[zb + o] = s + b[o];
            }
        }
    }

    @Override
    public void backwardInput(double[] w, double[] dz, int n, double[] dx) {
        KernelChecks.rows("dz", dz, n, out);
        KernelChecks.rows("dx", dx, n, in);
        for (int r = 0; r < n; r++) {
            int xb = r * in;
            Arrays.fill(dx, xb, xb + in, 0.0);
            for (int o = 0; o < out; o++) {
                double d = dz[r * out + o];
                if (d == 0.0) {
                    continue;
                }
                for (int k = rowPtr[o], end = rowPtr[o + 1]; k < end; k++) {
                    dx[xb + cols[k]] += d * w[flat[k]];
                }
            }
        }
    }

    @Override
    public void weightGradient(double[] x, double[] dz, int n, double alpha, double[] g) {
        KernelChecks.rows("x", x, n, in);
        KernelChecks.rows("dz", dz, n, out);
        for (int o = 0; o < out; o++) {
            int start = rowPtr[o], end = rowPtr[o + 1];
            if (start == end) {
                continue;
            }
            for (int r = 0; r < n; r++) {
                double d = dz[r * out + o];
                if (d == 0.0) {
                    continue;
                }
                double ad = alpha * d;
                int xb = r * in;
                for (int k = start; k < end; k++) {
                    g[flat[k]] += ad * x[xb + cols[k]];
                }
            }
        }
    }

    /** Kept weights this kernel visits. */
    int kept() {
        return cols.length;
    }

    @Override
    public String name() {
        return "sparse";
    }
}
