package org.prunelab.stages.recurrent;

/**
 * The three dense products back-propagation through time needs, on row-major arrays. Kept plain and
 * in one place so that a faster kernel replaces all of them at once. Accumulation order is fixed
 * (ascending inner index), so results are bit-reproducible.
 */
final class Products {
    private Products() {
    }

    /** c(m×n) = a(m×k) · b(n×k)ᵀ + bias (bias may be null): rows of b are output units. */
    static void timesTransposed(double[] a, int m, int k, double[] b, int n, double[] bias, double[] c) {
        for (int i = 0; i < m; i++) {
            int ai = i * k;
            for (int j = 0; j < n; j++) {
                int bj = j * k;
                double s = bias == null ? 0.0 : bias[j];
                for (int p = 0; p < k; p++) {
                    s += a[ai + p] * b[bj + p];
                }
                c[i * n + j] = s;
            }
        }
    }

    /** c(m×n) += a(m×k) · b(k×n). */
    static void timesAccumulate(double[] a, int m, int k, double[] b, int n, double[] c) {
        for (int i = 0; i < m; i++) {
            int ci = i * n;
            for (int p = 0; p < k; p++) {
                double aip = a[i * k + p];
                if (aip == 0.0) {
                    continue;
                }
                int bp = p * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aip * b[bp + j];
                }
            }
        }
    }

    /** c(n×k) += a(m×n)ᵀ · b(m×k): the weight gradient Σ_rows δᵀ x. */
    static void transposedTimesAccumulate(double[] a, int m, int n, double[] b, int k, double[] c) {
        for (int r = 0; r < m; r++) {
            int ar = r * n, br = r * k;
            for (int i = 0; i < n; i++) {
                double d = a[ar + i];
                if (d == 0.0) {
                    continue;
                }
                int ci = i * k;
                for (int j = 0; j < k; j++) {
                    c[ci + j] += d * b[br + j];
                }
            }
        }
    }

    /** v(n) += column sums of a(m×n). */
    static void columnSumsAccumulate(double[] a, int m, int n, double[] v) {
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < n; j++) {
                v[j] += a[r * n + j];
            }
        }
    }
}
