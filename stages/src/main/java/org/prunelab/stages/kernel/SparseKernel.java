package org.prunelab.stages.kernel;

import java.util.Arrays;

/**
 * Kernel whose cost scales with the number of kept connections, and which also skips exact zeros
 * in its inputs (binary data: mostly-off pixels and hidden samples). The index structures (CSR over
 * visible rows, CSC over hidden columns, both ascending, and the CSR → CSC position map) are built
 * once from a mask; the weight values are read from {@code layer.weights()} at call time, so training
 * can update them in place.
 *
 * <p>Each product first copies the kept weights into a compact array in the order its inner loop
 * reads them (one pass over the kept weights, shared by the batch rows), so the inner loops stream
 * contiguous values instead of picking a few doubles out of every 4 KB row of W. The transposed
 * product of a dense-ish h (sampled hidden units, about half on) runs as dot products of kept weight
 * rows with four batch rows at a time; a sparse h is scattered column by column. Both add the same
 * terms in the same order (the dot products also add ±0.0 for off units, which changes no bit as long
 * as the weights are finite; otherwise the scatter runs).
 *
 * <p>Threads ({@code runtime.threads}, fixed when built): {@link RowSplit} gives each thread a fixed
 * block of batch rows (forward, transposed) or of visible rows (gradient: every kept weight's
 * gradient has one writer). Every output element is summed by one thread in the order of the
 * original single-threaded kernel — ascending visible index (forward), ascending hidden index
 * (transposed), ascending batch row (gradient) — so results are bit-identical for every thread count.
 *
 * <p>Bound to the mask it was built from: a call with a layer whose mask differs throws. The only
 * mutable field caches the last mask array found equal, so concurrent use is safe (a race only
 * repeats the check).
 */
final class SparseKernel implements MaskedDenseKernel {
    private final int nv, nh;
    private final int threads;
    private final byte[] boundMask;     // private copy of the mask the index was built from
    private final int[] rowPtr;         // nv+1 offsets into cols
    private final int[] cols;           // kept hidden unit per entry, ascending within a row
    private final int[] colPtr;         // nh+1 offsets into rowsOfCol
    private final int[] rowsOfCol;      // CSC: kept visible unit per entry, ascending within a column
    private final int[] cscOf;          // CSR entry k -> its position in the CSC arrays
    private final int widestRow;        // most kept entries in one visible row (gradient scratch)
    private volatile byte[] verified;   // last mask array seen equal to boundMask

    SparseKernel(MaskedDense layer, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.nv = layer.inputs();
        this.nh = layer.outputs();
        this.threads = threads;
        this.boundMask = layer.mask().clone();
        this.rowPtr = new int[nv + 1];
        int count = KernelChecks.kept(boundMask);
        this.cols = new int[count];
        int k = 0, widest = 0;
        for (int i = 0; i < nv; i++) {
            rowPtr[i] = k;
            int base = i * nh;
            for (int mu = 0; mu < nh; mu++) {
                if (boundMask[base + mu] != 0) {
                    cols[k++] = mu;
                }
            }
            widest = Math.max(widest, k - rowPtr[i]);
        }
        rowPtr[nv] = k;
        this.widestRow = widest;
        this.colPtr = new int[nh + 1];
        this.rowsOfCol = new int[count];
        this.cscOf = new int[count];
        for (int j = 0; j < count; j++) {
            colPtr[cols[j] + 1]++;
        }
        for (int mu = 0; mu < nh; mu++) {
            colPtr[mu + 1] += colPtr[mu];
        }
        int[] fill = Arrays.copyOf(colPtr, nh);
        for (int i = 0; i < nv; i++) {
            for (int q = rowPtr[i]; q < rowPtr[i + 1]; q++) {
                int pos = fill[cols[q]]++;
                rowsOfCol[pos] = i;
                cscOf[q] = pos;
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
        if (n == 0) {
            return;
        }
        double[] w = layer.weights();
        double[] kept = keptInRowOrder(w);
        long work = estimatedWork(v, n, nv);
        RowSplit.run(n, threads, work, (from, to) -> {
            int[] on = new int[nv];
            for (int r = from; r < to; r++) {
                int ob = r * nh;
                Arrays.fill(out, ob, ob + nh, 0.0);
                int vb = r * nv;
                // Scatter the kept weights of each active visible row, i ascending. Zero inputs
                // contribute exactly nothing, so skipping them is exact and pays off on binary data.
                int active = nonZeroPositions(v, vb, nv, on);
                for (int t = 0; t < active; t++) {
                    int i = on[t];
                    double vi = v[vb + i];
                    for (int k = rowPtr[i], end = rowPtr[i + 1]; k < end; k++) {
                        out[ob + cols[k]] += vi * kept[k];
                    }
                }
                for (int mu = 0; mu < nh; mu++) {
                    out[ob + mu] += bias[mu];
                }
            }
        });
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
        double[] w = layer.weights();
        // Which path runs depends only on the inputs, and both give the same bits (see below).
        if (estimatedWork(h, n, nh) * 4 >= (long) n * cols.length) { // at least a quarter of h on
            double[] kept = keptInRowOrder(w);
            if (allFinite(kept)) {
                transposedByDotProducts(kept, bias, h, n, out);
                return;
            }
        }
        transposedByScatter(w, bias, h, n, out);
    }

    /**
     * h·Wᵀ for dense-ish h (sampled hidden units: ~half on): out[r, i] is the dot product of row i's
     * kept weights with h[r, kept columns], four batch rows per pass over the row (four independent
     * sums). The terms are added in ascending mu, as the scatter adds them; the extra terms where
     * h = 0 are ±0.0, and adding ±0.0 to a sum that started at +0.0 leaves it bit for bit unchanged
     * (such a sum is never −0.0) — provided no kept weight is infinite or NaN (0·∞ is NaN), which
     * the caller checks.
     */
    private void transposedByDotProducts(double[] kept, double[] bias, double[] h, int n, double[] out) {
        RowSplit.run(n, threads, (long) n * cols.length, (from, to) -> {
            int r = from;
            for (; r + 4 <= to; r += 4) {
                int h0 = r * nh, h1 = h0 + nh, h2 = h1 + nh, h3 = h2 + nh;
                int ob = r * nv;
                for (int i = 0; i < nv; i++) {
                    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
                    for (int k = rowPtr[i], end = rowPtr[i + 1]; k < end; k++) {
                        int mu = cols[k];
                        double wk = kept[k];
                        s0 += h[h0 + mu] * wk;
                        s1 += h[h1 + mu] * wk;
                        s2 += h[h2 + mu] * wk;
                        s3 += h[h3 + mu] * wk;
                    }
                    double a = bias[i];
                    out[ob + i] = s0 + a;
                    out[ob + nv + i] = s1 + a;
                    out[ob + 2 * nv + i] = s2 + a;
                    out[ob + 3 * nv + i] = s3 + a;
                }
            }
            for (; r < to; r++) {
                int hb = r * nh;
                int ob = r * nv;
                for (int i = 0; i < nv; i++) {
                    double s = 0.0;
                    for (int k = rowPtr[i], end = rowPtr[i + 1]; k < end; k++) {
                        s += h[hb + cols[k]] * kept[k];
                    }
                    out[ob + i] = s + bias[i];
                }
            }
        });
    }

    /**
     * h·Wᵀ for sparse h (or non-finite weights): the kept weights column by column (read W row-wise,
     * written through the CSR → CSC map), then each active hidden unit's column scattered into the
     * output row. Off hidden units are skipped exactly. Each out[r, i] sums over mu in ascending order.
     */
    private void transposedByScatter(double[] w, double[] bias, double[] h, int n, double[] out) {
        double[] wt = new double[cols.length];
        RowSplit.run(nv, threads, cols.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                int wb = i * nh;
                for (int k = rowPtr[i], end = rowPtr[i + 1]; k < end; k++) {
                    wt[cscOf[k]] = w[wb + cols[k]];
                }
            }
        });
        long work = estimatedWork(h, n, nh);
        RowSplit.run(n, threads, work, (from, to) -> {
            int[] on = new int[nh];
            for (int r = from; r < to; r++) {
                int hb = r * nh;
                int ob = r * nv;
                Arrays.fill(out, ob, ob + nv, 0.0);
                int active = nonZeroPositions(h, hb, nh, on);
                for (int t = 0; t < active; t++) {
                    int mu = on[t];
                    double hm = h[hb + mu];
                    for (int k = colPtr[mu], end = colPtr[mu + 1]; k < end; k++) {
                        out[ob + rowsOfCol[k]] += hm * wt[k];
                    }
                }
                for (int i = 0; i < nv; i++) {
                    out[ob + i] += bias[i];
                }
            }
        });
    }

    @Override
    public void outerGradient(MaskedDense layer, double[] v, double[] h, int n, double alpha, double[] g) {
        checkBound(layer);
        KernelChecks.rows("v", v, n, nv);
        KernelChecks.rows("h", h, n, nh);
        KernelChecks.gradient(g, nv * nh);
        if (n == 0) {
            return;
        }
        // For each visible unit, the rows where it is non-zero (binary data: ~13% on MNIST), in row
        // order. Each kept (i, mu) is then alpha * sum_r v_ri h_rmu over those rows only, in
        // ascending r (skipping exact zeros).
        int[] ptr = new int[nv + 1];
        for (int r = 0; r < n; r++) {
            int vb = r * nv;
            for (int i = 0; i < nv; i++) {
                long b = Double.doubleToRawLongBits(v[vb + i]) << 1; // 0 exactly for +0.0 and -0.0
                ptr[i + 1] += (int) ((b | -b) >>> 63);
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
        long work = (long) ptr[nv] * cols.length / Math.max(1, nv);
        RowSplit.run(nv, threads, work, (from, to) -> {
            // The partial sums of one visible row's kept weights. Rows where v is on are added
            // four at a time into each partial sum in turn — the same additions in the same order
            // (ascending r) as one at a time, with one load and store of the sum per four rows and
            // contiguous rows of h: the loop over kept entries has no dependency chain.
            double[] s = new double[widestRow];
            for (int i = from; i < to; i++) {
                int p0 = ptr[i], p1 = ptr[i + 1];
                int k0 = rowPtr[i], len = rowPtr[i + 1] - k0;
                if (p0 == p1 || len == 0) {
                    continue; // alpha * 0 would add only a signed zero
                }
                Arrays.fill(s, 0, len, 0.0);
                int q = p0;
                for (; q + 4 <= p1; q += 4) {
                    double x0 = val[q], x1 = val[q + 1], x2 = val[q + 2], x3 = val[q + 3];
                    int h0 = rowOf[q] * nh, h1 = rowOf[q + 1] * nh, h2 = rowOf[q + 2] * nh, h3 = rowOf[q + 3] * nh;
                    for (int j = 0; j < len; j++) {
                        int mu = cols[k0 + j];
                        double t = s[j];
                        t += x0 * h[h0 + mu];
                        t += x1 * h[h1 + mu];
                        t += x2 * h[h2 + mu];
                        t += x3 * h[h3 + mu];
                        s[j] = t;
                    }
                }
                for (; q < p1; q++) {
                    double x = val[q];
                    int hb = rowOf[q] * nh;
                    for (int j = 0; j < len; j++) {
                        s[j] += x * h[hb + cols[k0 + j]];
                    }
                }
                int gb = i * nh;
                for (int j = 0; j < len; j++) {
                    g[gb + cols[k0 + j]] += alpha * s[j];
                }
            }
        });
    }

    /** The kept weights in CSR order (entry k = w[i, cols[k]]), copied by the kernel's threads. */
    private double[] keptInRowOrder(double[] w) {
        double[] kept = new double[cols.length];
        RowSplit.run(nv, threads, cols.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                int wb = i * nh;
                for (int k = rowPtr[i], end = rowPtr[i + 1]; k < end; k++) {
                    kept[k] = w[wb + cols[k]];
                }
            }
        });
        return kept;
    }

    /**
     * Writes the positions of the non-zero entries of x[base, base+width) into {@code on}, ascending,
     * and returns their count. Branch-free: sampled hidden units are on at random, about half of
     * them, where a test-and-skip loop would mispredict every other unit.
     */
    private static int nonZeroPositions(double[] x, int base, int width, int[] on) {
        int count = 0;
        for (int j = 0; j < width; j++) {
            on[count] = j;
            long b = Double.doubleToRawLongBits(x[base + j]) << 1; // 0 exactly for +0.0 and -0.0
            count += (int) ((b | -b) >>> 63);
        }
        return count;
    }

    /** Whether every value is finite: 0·x is ±0.0 for finite x, NaN for an infinite or NaN one. */
    private static boolean allFinite(double[] x) {
        double probe = 0.0;
        for (double v : x) {
            probe += 0.0 * v;
        }
        return probe == 0.0;
    }

    /**
     * The scatter's multiply-adds, estimated from the first row's non-zeros (only the thread split
     * depends on it, never a result): n · nonzeros(row 0) · kept / width.
     */
    private long estimatedWork(double[] x, int n, int width) {
        int[] unused = new int[width];
        return (long) n * nonZeroPositions(x, 0, width, unused) * cols.length / Math.max(1, width);
    }

    /** Number of kept connections the index was built with. */
    int connections() {
        return cols.length;
    }

    /** Threads the products are split over. */
    int threads() {
        return threads;
    }

    @Override
    public String name() {
        return "sparse";
    }
}
