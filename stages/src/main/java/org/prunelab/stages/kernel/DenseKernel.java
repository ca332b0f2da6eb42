package org.prunelab.stages.kernel;

import java.util.Arrays;
import org.prunelab.stages.linalg.Gemm;
import org.prunelab.stages.linalg.Transpose;

/**
 * Dense kernel: every product through {@link Gemm} (native OpenBLAS when it loads), except where the
 * left operand is a mostly-zero 0/1 matrix (RBM visible data and Bernoulli samples). There a product
 * is a sum of selected weight rows: the on positions of each batch row are gathered once and whole
 * contiguous rows of W (or of the other operand, for the gradient) are added, a loop the JIT
 * vectorises, doing {@code density} of the dense product's work. Correct for any mask because pruned
 * weights are exactly 0.0 (MaskedDense invariant).
 *
 * <p>Threads: GEMM splits over C's rows/columns; the gather paths give each thread a fixed block of
 * output rows, each summed in ascending index order. The same inputs and thread count therefore give
 * bit-identical outputs (the gather paths are identical for every thread count). Which path a call
 * takes depends only on its inputs. Stateless apart from its GEMM and thread count: shareable.
 */
final class DenseKernel implements MaskedDenseKernel {
    /**
     * Largest fraction of ones at which the gather path replaces GEMM. Measured with
     * {@link KernelCrossoverBench} at the RBM shape (100×784 binary · 784×500, one thread, thread CPU
     * time, loaded 2-core EPYC): gather/GEMM time 0.97–0.99 at 5 % ones, 1.5–1.6 at 10 %, 2.2–2.4 at
     * MNIST's 13 %. Native GEMM runs at ~27 GFLOP/s there, while adding contiguous weight rows
     * (3 MB of W, beyond L2) runs at ~0.7–1.2 G adds/s: the gather's 1/(2d) fewer operations do not
     * pay above ~5 %. The path stays for very sparse binary operands (and is exact and tested).
     */
    static final double GATHER_MAX_DENSITY = 0.05;

    private final Gemm gemm;
    private final int threads;

    DenseKernel(Gemm gemm, int threads) {
        this.gemm = gemm;
        this.threads = threads;
    }

    @Override
    public void forward(MaskedDense layer, double[] bias, double[] v, int n, double[] out) {
        int in = layer.inputs(), width = layer.outputs();
        KernelChecks.rows("v", v, n, in);
        KernelChecks.rows("out", out, n, width);
        KernelChecks.bias(bias, width);
        if (n == 0) {
            return;
        }
        double[] w = layer.weights();
        BinaryRows on = BinaryRows.of(v, n, in, GATHER_MAX_DENSITY);
        if (on != null) {
            // Weight row i outer, the batch rows where input i is on inner: each row of W is read
            // once per call (W does not fit in L2, the n output rows do). Every out[r, k] still sums
            // bias then the on inputs in ascending i, whatever the thread split (threads own rows r).
            BinaryRows rowsOfInput = on.columns();
            RowSplit.run(n, threads, (long) on.count() * width, (from, to) -> {
                for (int r = from; r < to; r++) {
                    System.arraycopy(bias, 0, out, r * width, width);
                }
                for (int i = 0; i < in; i++) {
                    int wb = i * width;
                    for (int q = rowsOfInput.ptr[i], end = rowsOfInput.ptr[i + 1]; q < end; q++) {
                        int r = rowsOfInput.on[q];
                        if (r >= from && r < to) {
                            addRow(w, wb, out, r * width, width);
                        }
                    }
                }
            });
            return;
        }
        fillRows(out, n, bias);
        gemm.dgemm(Transpose.NO, Transpose.NO, n, width, in, 1.0, v, in, w, width, 1.0, out, width);
    }

    @Override
    public void transposed(MaskedDense layer, double[] bias, double[] h, int n, double[] out) {
        int in = layer.inputs(), width = layer.outputs();
        KernelChecks.rows("h", h, n, width);
        KernelChecks.rows("out", out, n, in);
        KernelChecks.bias(bias, in);
        if (n == 0) {
            return;
        }
        // Sampled hidden units are ~half on, where GEMM wins over any gather; no binary path here.
        fillRows(out, n, bias);
        gemm.dgemm(Transpose.NO, Transpose.YES, n, in, width, 1.0, h, width, layer.weights(), width, 1.0, out, in);
    }

    @Override
    public void outerGradient(MaskedDense layer, double[] v, double[] h, int n, double alpha, double[] g) {
        int in = layer.inputs(), width = layer.outputs();
        KernelChecks.rows("v", v, n, in);
        KernelChecks.rows("h", h, n, width);
        int size = in * width;
        KernelChecks.gradient(g, size);
        if (n == 0) {
            return;
        }
        byte[] mask = layer.mask();
        boolean full = KernelChecks.kept(mask) == size;
        BinaryRows on = BinaryRows.of(v, n, in, GATHER_MAX_DENSITY);
        if (on != null) {
            // Row i of g gets alpha·Σ_{r: v[r,i]=1} h[r,:]: contiguous rows of h, one writer per row of g.
            BinaryRows rowsOfInput = on.columns();
            RowSplit.run(in, threads, (long) on.count() * width, (from, to) -> {
                double[] s = new double[width];
                for (int i = from; i < to; i++) {
                    int p0 = rowsOfInput.ptr[i], p1 = rowsOfInput.ptr[i + 1];
                    if (p0 == p1) {
                        continue; // alpha·0 would add only a signed zero
                    }
                    Arrays.fill(s, 0.0);
                    for (int q = p0; q < p1; q++) {
                        addRow(h, rowsOfInput.on[q] * width, s, 0, width);
                    }
                    addScaledMasked(s, alpha, g, i * width, full ? null : mask, width);
                }
            });
            return;
        }
        if (full) {
            gemm.dgemm(Transpose.YES, Transpose.NO, in, width, n, alpha, v, in, h, width, 1.0, g, width);
            return;
        }
        // vᵀh into scratch, then add only the kept entries: g must stay untouched where mask == 0.
        double[] t = new double[size];
        gemm.dgemm(Transpose.YES, Transpose.NO, in, width, n, alpha, v, in, h, width, 0.0, t, width);
        for (int j = 0; j < size; j++) {
            if (mask[j] != 0) {
                g[j] += t[j];
            }
        }
    }

    /** dst[db..db+len) += src[sb..sb+len): contiguous, auto-vectorised by C2. */
    static void addRow(double[] src, int sb, double[] dst, int db, int len) {
        for (int k = 0; k < len; k++) {
            dst[db + k] += src[sb + k];
        }
    }

    private static void addScaledMasked(double[] s, double alpha, double[] g, int gb, byte[] mask, int len) {
        if (mask == null) {
            for (int k = 0; k < len; k++) {
                g[gb + k] += alpha * s[k];
            }
            return;
        }
        for (int k = 0; k < len; k++) {
            if (mask[gb + k] != 0) {
                g[gb + k] += alpha * s[k];
            }
        }
    }

    private static void fillRows(double[] out, int n, double[] bias) {
        int width = bias.length;
        for (int r = 0; r < n; r++) {
            System.arraycopy(bias, 0, out, r * width, width);
        }
    }

    @Override
    public String name() {
        return "dense";
    }
}
