package org.prunelab.stages.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PixelStatisticsTest {
    /** Binary rows with correlated pixels: a latent bit copied to pixels with noise; pixel 0 always off. */
    private static double[] correlated(int n, int nv, double flip, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n * nv];
        for (int r = 0; r < n; r++) {
            int latent = rng.nextInt(2);
            for (int i = 1; i < nv; i++) {
                int v = i % 3 == 0 ? rng.nextInt(2) : latent;
                x[r * nv + i] = rng.nextDouble() < flip ? 1 - v : v;
            }
        }
        return x;
    }

    /** Textbook two-pass Pearson correlation of pixels i and j. */
    private static double naiveCorrelation(double[] x, int n, int nv, int i, int j) {
        double mi = 0, mj = 0;
        for (int r = 0; r < n; r++) {
            mi += x[r * nv + i];
            mj += x[r * nv + j];
        }
        mi /= n;
        mj /= n;
        double c = 0, vi = 0, vj = 0;
        for (int r = 0; r < n; r++) {
            double a = x[r * nv + i] - mi, b = x[r * nv + j] - mj;
            c += a * b;
            vi += a * a;
            vj += b * b;
        }
        return c / Math.sqrt(vi * vj);
    }

    @Test
    void identicalSetsAgreePerfectly() {
        double[] x = correlated(500, 12, 0.2, 1);
        PixelStatistics s = PixelStatistics.compare(x, 500, x, 500, 12);
        assertEquals(0.0, s.meanRmse());
        assertEquals(1.0, s.correlationPearson(), 1e-12);
        assertEquals(11, s.pixelsUsed(), "the constant pixel 0 is excluded");
        assertEquals(55, s.pairsUsed());
    }

    @Test
    void matchesANaiveComputation() {
        int nv = 10;
        double[] a = correlated(800, nv, 0.15, 2);
        double[] b = correlated(600, nv, 0.35, 3);
        for (int r = 0; r < 600; r++) {
            b[r * nv + 5] = 0.3; // a non-binary constant pixel: zero variance, excluded too
        }
        PixelStatistics s = PixelStatistics.compare(a, 800, b, 600, nv);
        assertEquals(8, s.pixelsUsed());
        double sq = 0;
        for (int i = 0; i < nv; i++) {
            double ma = 0, mb = 0;
            for (int r = 0; r < 800; r++) {
                ma += a[r * nv + i] / 800;
            }
            for (int r = 0; r < 600; r++) {
                mb += b[r * nv + i] / 600;
            }
            sq += (ma - mb) * (ma - mb);
        }
        assertEquals(Math.sqrt(sq / nv), s.meanRmse(), 1e-12);
        int[] used = {1, 2, 3, 4, 6, 7, 8, 9};
        int m = used.length * (used.length - 1) / 2;
        double[] x = new double[m], y = new double[m];
        int k = 0;
        for (int p = 0; p < used.length; p++) {
            for (int q = p + 1; q < used.length; q++) {
                x[k] = naiveCorrelation(a, 800, nv, used[p], used[q]);
                y[k++] = naiveCorrelation(b, 600, nv, used[p], used[q]);
            }
        }
        double mx = 0, my = 0;
        for (int t = 0; t < m; t++) {
            mx += x[t] / m;
            my += y[t] / m;
        }
        double c = 0, vx = 0, vy = 0;
        for (int t = 0; t < m; t++) {
            c += (x[t] - mx) * (y[t] - my);
            vx += (x[t] - mx) * (x[t] - mx);
            vy += (y[t] - my) * (y[t] - my);
        }
        double r = c / Math.sqrt(vx * vy);
        assertEquals(r, s.correlationPearson(), 1e-10);
        assertTrue(r > 0.4, "same structure, different noise: positively related correlations, r=" + r);
    }
}
