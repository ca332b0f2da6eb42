package org.prunelab.stages.kernel;

import java.util.Arrays;

/**
 * A layer kernel whose cost scales with the kept weights: CSR over output rows (kept input
 * indices ascending), built once from a mask. Weight values are read from {@code w} at call time,
 * so training may update them in place; the mask must not change (build a new kernel after pruning).
 *
 * <p>Threads ({@code runtime.threads}, fixed when built): {@link RowSplit} gives each thread a fixed
 * block of batch rows (forward, input gradient) or of output rows (weight gradient: every kept
 * weight's gradient has one writer). Every output element is summed by one thread in the order of
 * the original single-threaded kernel — ascending input index (forward), ascending output index
 * (input gradient), ascending batch row (weight gradient) — so results are bit-identical for every
 * thread count. The forward and weight-gradient loops take four batch rows per pass over a weight
 * row (one load of each index and weight for four rows; four independent sums instead of one
 * dependency chain), which changes no sum's order.
 */
final class SparseLayerKernel implements LayerKernel {
    private final int in, out;
    private final int threads;
    private final int[] rowPtr;   // out+1 offsets into cols
    private final int[] cols;     // kept input index per entry, ascending within a row
    private final int[] flat;     // o*in + cols[k], the entry's index into w and g

    SparseLayerKernel(byte[] mask, int in, int out, int threads) {
        if (mask.length != in * out) {
            throw new IllegalArgumentException("mask has length " + mask.length + ", expected " + out + "x" + in);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.in = in;
        this.out = out;
        this.threads = threads;
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
        RowSplit.run(n, threads, (long) n * cols.length, (from, to) -> {
            int r = from;
            for (; r + 4 <= to; r += 4) {
                int x0 = r * in, x1 = x0 + in, x2 = x1 + in, x3 = x2 + in;
                int zb = r * out;
                for (int o = 0; o < out; o++) {
                    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
                    for (int k = rowPtr[o], end = rowPtr[o + 1]; k < end; k++) {
                        int c = cols[k];
                        double wk = w[flat[k]];
                        s0 += x[x0 + c] * wk;
                        s1 += x[x1 + c] * wk;
                        s2 += x[x2 + c] * wk;
                        s3 += x[x3 + c] * wk;
                    }
                    double bo = b[o];
                    z[zb + o] = s0 + bo;
                    z[zb + out + o] = s1 + bo;
                    z[zb + 2 * out + o] = s2 + bo;
                    z[zb + 3 * out + o] = s3 + bo;
                }
            }
            for (; r < to; r++) {
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
        });
    }

    @Override
    public void backwardInput(double[] w, double[] dz, int n, double[] dx) {
        KernelChecks.rows("dz", dz, n, out);
        KernelChecks.rows("dx", dx, n, in);
        RowSplit.run(n, threads, (long) n * cols.length, (from, to) -> {
            for (int r = from; r < to; r++) {
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
        });
    }

    @Override
    public void weightGradient(double[] x, double[] dz, int n, double alpha, double[] g) {
        KernelChecks.rows("x", x, n, in);
        KernelChecks.rows("dz", dz, n, out);
        RowSplit.run(out, threads, (long) n * cols.length, (from, to) -> {
            int[] rows = new int[n];      // the batch rows whose dz is non-zero, ascending
            double[] scale = new double[n];
            for (int o = from; o < to; o++) {
                int start = rowPtr[o], end = rowPtr[o + 1];
                if (start == end) {
                    continue;
                }
                int active = 0;
                for (int r = 0; r < n; r++) {
                    double d = dz[r * out + o];
                    if (d != 0.0) {
                        rows[active] = r * in;
                        scale[active++] = alpha * d;
                    }
                }
                // Each g entry gets its rows' terms in ascending row order, four per load/store.
                int q = 0;
                for (; q + 4 <= active; q += 4) {
                    int x0 = rows[q], x1 = rows[q + 1], x2 = rows[q + 2], x3 = rows[q + 3];
                    double a0 = scale[q], a1 = scale[q + 1], a2 = scale[q + 2], a3 = scale[q + 3];
                    for (int k = start; k < end; k++) {
                        int c = cols[k];
                        double t = g[flat[k]];
                        t += a0 * x[x0 + c];
                        t += a1 * x[x1 + c];
                        t += a2 * x[x2 + c];
                        t += a3 * x[x3 + c];
                        g[flat[k]] = t;
                    }
                }
                for (; q < active; q++) {
                    int xb = rows[q];
                    double ad = scale[q];
                    for (int k = start; k < end; k++) {
                        g[flat[k]] += ad * x[xb + cols[k]];
                    }
                }
            }
        });
    }

    @Override
    public boolean writesKeptGradientOnly() {
        return true;
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
