package org.prunelab.stages.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sample pixel statistics of rbm-dilution protocol §7.5: the RMSE between sample and data pixel means,
 * and the Pearson r between sample and data pixel-pair correlation coefficients
 * c_ij = cov(x_i, x_j)/(sd_i·sd_j) (population moments) over the off-diagonal pairs i &lt; j of the
 * pixels whose variance exceeds {@value #MIN_VARIANCE} in both sets (elsewhere c_ij is undefined).
 * The correlation is NaN when fewer than two such pairs exist or either side has no spread.
 */
public record PixelStatistics(double meanRmse, double correlationPearson, int pixelsUsed, long pairsUsed) {
    /** Variance below this counts as constant (a binary pixel with variance 1e-12 is on in ≈1e-12 of images). */
    public static final double MIN_VARIANCE = 1e-12;

    public static PixelStatistics compare(double[] samples, int nSamples, double[] data, int nData, int nv) {
        Moments s = Moments.of(samples, nSamples, nv);
        Moments d = Moments.of(data, nData, nv);
        double sq = 0.0;
        for (int i = 0; i < nv; i++) {
            double e = s.mean[i] - d.mean[i];
            sq += e * e;
        }
        int[] used = new int[nv];
        int u = 0;
        for (int i = 0; i < nv; i++) {
            if (s.variance(i) > MIN_VARIANCE && d.variance(i) > MIN_VARIANCE) {
                used[u++] = i;
            }
        }
        // Streaming Pearson over pairs: sums of x, y, x², y², xy.
        long pairs = 0;
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (int p = 0; p < u; p++) {
            for (int q = p + 1; q < u; q++) {
                double x = s.correlation(used[p], used[q]);
                double y = d.correlation(used[p], used[q]);
                pairs++;
                sx += x;
                sy += y;
                sxx += x * x;
                syy += y * y;
                sxy += x * y;
            }
        }
        double r = Double.NaN;
        if (pairs >= 2) {
            double cov = sxy - sx * sy / pairs;
            double vx = sxx - sx * sx / pairs;
            double vy = syy - sy * sy / pairs;
            if (vx > 0 && vy > 0) {
                r = cov / Math.sqrt(vx * vy);
            }
        }
        return new PixelStatistics(Math.sqrt(sq / nv), r, u, pairs);
    }

    public Map<String, Double> asMetrics(String prefix) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(prefix + "pixel_mean_rmse", meanRmse);
        m.put(prefix + "pair_correlation_r", correlationPearson);
        m.put(prefix + "pixels_with_variance", (double) pixelsUsed);
        return m;
    }

    /** Means and the upper triangle of E[x_i x_j], accumulated over the non-zero entries of each row. */
    private static final class Moments {
        final int nv;
        final double[] mean;
        final double[] second; // nv x nv, upper triangle incl. diagonal: E[x_i x_j]

        private Moments(int nv) {
            this.nv = nv;
            this.mean = new double[nv];
            this.second = new double[nv * nv];
        }

        static Moments of(double[] x, int n, int nv) {
            if (n < 1 || x.length < (long) n * nv) {
                throw new IllegalArgumentException("need n >= 1 rows of " + nv + " pixels, got " + x.length + " values for n=" + n);
            }
            Moments m = new Moments(nv);
            int[] nz = new int[nv];
            double[] val = new double[nv];
            for (int r = 0; r < n; r++) {
                int base = r * nv, c = 0;
                for (int i = 0; i < nv; i++) {
                    double v = x[base + i];
                    if (v != 0.0) {
                        nz[c] = i;
                        val[c++] = v;
                        m.mean[i] += v;
                    }
                }
                for (int p = 0; p < c; p++) {
                    int rb = nz[p] * nv;
                    double vp = val[p];
                    for (int q = p; q < c; q++) {
                        m.second[rb + nz[q]] += vp * val[q];
                    }
                }
            }
            for (int i = 0; i < nv; i++) {
                m.mean[i] /= n;
            }
            for (int j = 0; j < m.second.length; j++) {
                m.second[j] /= n;
            }
            return m;
        }

        double variance(int i) {
            return second[i * nv + i] - mean[i] * mean[i];
        }

        /** Pearson correlation coefficient of pixels i &lt; j. */
        double correlation(int i, int j) {
            double cov = second[i * nv + j] - mean[i] * mean[j];
            return cov / Math.sqrt(variance(i) * variance(j));
        }
    }
}
