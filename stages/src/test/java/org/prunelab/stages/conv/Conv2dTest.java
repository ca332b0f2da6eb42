package org.prunelab.stages.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.linalg.Gemm;

class Conv2dTest {
    private static final Gemm GEMM = Gemm.create(1);

    private static double[] gaussian(int n, SplittableRandom rng) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextGaussian();
        }
        return v;
    }

    /** The definition, summed directly: the reference the GEMM path must match. */
    private static double direct(double[] w, double[] b, double[] x, int img, int cin, int h, int wd, int k, int s, int p,
                                 int co, int oy, int ox) {
        double sum = b == null ? 0 : b[co];
        for (int c = 0; c < cin; c++) {
            for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                    int iy = oy * s + ky - p, ix = ox * s + kx - p;
                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                        sum += w[((co * cin + c) * k + ky) * k + kx] * x[((img * cin + c) * h + iy) * wd + ix];
                    }
                }
            }
        }
        return sum;
    }

    @Test
    void forwardMatchesTheDirectSumForPaddingAndStride() {
        SplittableRandom rng = new SplittableRandom(1);
        int[][] shapes = {{2, 3, 3, 1, 1, 5, 6}, {3, 2, 1, 1, 0, 4, 4}, {1, 4, 3, 2, 1, 7, 5}};
        for (int[] s : shapes) {
            int cin = s[0], cout = s[1], k = s[2], stride = s[3], pad = s[4], h = s[5], wd = s[6], n = 2;
            Conv2d conv = new Conv2d(cin, cout, k, stride, pad, GEMM);
            double[] w = gaussian(conv.weights(), rng), b = gaussian(cout, rng), x = gaussian(n * cin * h * wd, rng);
            int ho = conv.outSize(h), wo = conv.outSize(wd);
            double[] y = new double[n * cout * ho * wo];
            conv.forward(w, b, x, n, h, wd, y);
            for (int i = 0; i < n; i++) {
                for (int co = 0; co < cout; co++) {
                    for (int oy = 0; oy < ho; oy++) {
                        for (int ox = 0; ox < wo; ox++) {
                            assertEquals(direct(w, b, x, i, cin, h, wd, k, stride, pad, co, oy, ox),
                                    y[((i * cout + co) * ho + oy) * wo + ox], 1e-12);
                        }
                    }
                }
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(2);
        int cin = 2, cout = 3, k = 3, h = 5, wd = 4, n = 2;
        for (int stride : new int[] {1, 2}) {
            Conv2d conv = new Conv2d(cin, cout, k, stride, 1, GEMM);
            double[] w = gaussian(conv.weights(), rng), b = gaussian(cout, rng), x = gaussian(n * cin * h * wd, rng);
            int outLen = n * cout * conv.outSize(h) * conv.outSize(wd);
            double[] r = gaussian(outLen, rng); // loss = Σ r ⊙ y, so dy = r
            double[] gw = new double[w.length], gb = new double[cout], dx = new double[x.length];
            conv.backward(w, x, n, h, wd, r, gw, gb, dx);
            double eps = 1e-6;
            for (double[][] pair : new double[][][] {{w, gw}, {b, gb}, {x, dx}}) {
                double[] p = pair[0], g = pair[1];
                for (int j = 0; j < p.length; j++) {
                    double keep = p[j];
                    p[j] = keep + eps;
                    double up = loss(conv, w, b, x, n, h, wd, r);
                    p[j] = keep - eps;
                    double down = loss(conv, w, b, x, n, h, wd, r);
                    p[j] = keep;
                    double numeric = (up - down) / (2 * eps);
                    assertEquals(numeric, g[j], 1e-6 * (1 + Math.abs(numeric)), "stride " + stride + " entry " + j);
                }
            }
            assertTrue(gw.length == 54);
        }
    }

    private static double loss(Conv2d conv, double[] w, double[] b, double[] x, int n, int h, int wd, double[] r) {
        double[] y = new double[r.length];
        conv.forward(w, b, x, n, h, wd, y);
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += r[i] * y[i];
        }
        return s;
    }
}
