package org.prunelab.stages.kernel;

/**
 * The "on" positions of a 0/1 matrix (n rows × width, row-major), per row in ascending order: the
 * index form that turns a product with a binary operand into sums of selected weight rows. RBM
 * visible data and Bernoulli samples are such operands (binarised MNIST: ~13 % of pixels on).
 */
final class BinaryRows {
    final int rows, width;
    final int[] ptr;   // rows+1 offsets into on
    final int[] on;    // column of each 1, ascending within a row

    private BinaryRows(int rows, int width, int[] ptr, int[] on) {
        this.rows = rows;
        this.width = width;
        this.ptr = ptr;
        this.on = on;
    }

    /**
     * The on positions of x, or null when some entry is neither 0.0 nor 1.0 (then no gather path
     * applies) or when more than {@code maxDensity} of the entries are 1 (the dense product is then
     * faster; the scan stops early).
     */
    static BinaryRows of(double[] x, int n, int width, double maxDensity) {
        long total = (long) n * width;
        long limit = (long) Math.floor(maxDensity * total);
        int[] ptr = new int[n + 1];
        int count = 0;
        for (int j = 0; j < total; j++) {
            double v = x[j];
            if (v == 1.0) {
                if (++count > limit) {
                    return null;
                }
            } else if (v != 0.0) {
                return null;
            }
        }
        int[] on = new int[count];
        int k = 0;
        for (int r = 0; r < n; r++) {
            ptr[r] = k;
            int base = r * width;
            for (int i = 0; i < width; i++) {
                if (x[base + i] != 0.0) {
                    on[k++] = i;
                }
            }
        }
        ptr[n] = k;
        return new BinaryRows(n, width, ptr, on);
    }

    int count() {
        return on.length;
    }

    /** The transpose: for each column, the rows where it is on, ascending. */
    BinaryRows columns() {
        int[] cptr = new int[width + 1];
        for (int q : on) {
            cptr[q + 1]++;
        }
        for (int i = 0; i < width; i++) {
            cptr[i + 1] += cptr[i];
        }
        int[] fill = java.util.Arrays.copyOf(cptr, width);
        int[] rowsOf = new int[on.length];
        for (int r = 0; r < rows; r++) {
            for (int q = ptr[r]; q < ptr[r + 1]; q++) {
                rowsOf[fill[on[q]]++] = r;
            }
        }
        return new BinaryRows(width, rows, cptr, rowsOf);
    }
}
