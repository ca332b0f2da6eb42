package org.prunelab.stages.conv;

import java.util.Arrays;
import org.prunelab.stages.linalg.Gemm;
import org.prunelab.stages.linalg.Transpose;

/**
 * A 2-D convolution (PyTorch's {@code Conv2d}: cross-correlation, square kernel, zero padding,
 * stride) computed as im2col + one GEMM per image on the shared {@link Gemm}. Tensors are row-major
 * NCHW ({@code double[]}, image after image); weights are Cout × (Cin·k·k), i.e. PyTorch's
 * (Cout, Cin, k, k) flattened, and an optional bias per output channel.
 *
 * <pre>
 *   forward:   cols = im2col(x_i)  (Cin·k·k × Hout·Wout);  y_i = W · cols + b
 *   backward:  dW += dy_i · colsᵀ;  db += Σ dy_i;  dx_i = col2im(Wᵀ · dy_i)
 * </pre>
 * Each product runs on the GEMM with a fixed thread count, so results are bit-identical run to run.
 * Keeps an im2col buffer between calls: not for two threads at once.
 */
public final class Conv2d {
    private final int in, out, kernel, stride, padding;
    private final Gemm gemm;
    private double[] cols = new double[0], dCols = new double[0];

    public Conv2d(int in, int out, int kernel, int stride, int padding, Gemm gemm) {
        if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("conv needs in, out, kernel, stride >= 1 and padding >= 0, got " + in + ", "
                    + out + ", " + kernel + ", " + stride + ", " + padding);
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.gemm = gemm;
    }

    public int inChannels() {
        return in;
    }

    public int outChannels() {
        return out;
    }

    /** Weights per output channel: Cin·k·k. */
    public int patch() {
        return in * kernel * kernel;
    }

    public int weights() {
        return out * patch();
    }

    public int outSize(int size) {
        int o = (size + 2 * padding - kernel) / stride + 1;
        if (o < 1) {
            throw new IllegalArgumentException("input side " + size + " is smaller than the kernel " + kernel
                    + " with padding " + padding);
        }
        return o;
    }

    private void ensure(int h, int w) {
        int need = patch() * outSize(h) * outSize(w);
        if (cols.length < need) {
            cols = new double[need];
            dCols = new double[need];
        }
    }

    /** y (n × Cout × Hout × Wout) = conv(x (n × Cin × h × w)) + bias (null: no bias); overwrites y. */
    public void forward(double[] w, double[] bias, double[] x, int n, int h, int wd, double[] y) {
        ensure(h, wd);
        int ho = outSize(h), wo = outSize(wd), spatial = ho * wo;
        for (int i = 0; i < n; i++) {
            im2col(x, i * in * h * wd, h, wd, ho, wo);
            int yOff = i * out * spatial;
            if (bias == null) {
                Arrays.fill(y, yOff, yOff + out * spatial, 0.0);
            } else {
                for (int c = 0; c < out; c++) {
                    Arrays.fill(y, yOff + c * spatial, yOff + (c + 1) * spatial, bias[c]);
                }
            }
            gemm.dgemm(Transpose.NO, Transpose.NO, out, spatial, patch(), 1.0, w, 0, patch(), cols, 0, spatial, 1.0, y,
                    yOff, spatial);
        }
    }

    /**
     * Given dy, adds the weight and bias gradients to gw and gb (gb may be null) and, when dx is not
     * null, overwrites dx with the input gradient.
     */
    public void backward(double[] w, double[] x, int n, int h, int wd, double[] dy, double[] gw, double[] gb,
                         double[] dx) {
        ensure(h, wd);
        int ho = outSize(h), wo = outSize(wd), spatial = ho * wo;
        for (int i = 0; i < n; i++) {
            int yOff = i * out * spatial;
            im2col(x, i * in * h * wd, h, wd, ho, wo);
            gemm.dgemm(Transpose.NO, Transpose.YES, out, patch(), spatial, 1.0, dy, yOff, spatial, cols, 0, spatial, 1.0,
                    gw, 0, patch());
            if (gb != null) {
                for (int c = 0; c < out; c++) {
                    double s = 0;
                    for (int p = 0; p < spatial; p++) {
                        s += dy[yOff + c * spatial + p];
                    }
                    gb[c] += s;
                }
            }
            if (dx != null) {
                gemm.dgemm(Transpose.YES, Transpose.NO, patch(), spatial, out, 1.0, w, 0, patch(), dy, yOff, spatial, 0.0,
                        dCols, 0, spatial);
                col2im(dx, i * in * h * wd, h, wd, ho, wo);
            }
        }
    }

    /** cols[(c·k + ky)·k + kx][oy·wo + ox] = x[c][oy·s + ky − p][ox·s + kx − p], 0 outside. */
    private void im2col(double[] x, int off, int h, int wd, int ho, int wo) {
        int spatial = ho * wo;
        for (int c = 0; c < in; c++) {
            for (int ky = 0; ky < kernel; ky++) {
                for (int kx = 0; kx < kernel; kx++) {
                    int row = ((c * kernel + ky) * kernel + kx) * spatial;
                    for (int oy = 0; oy < ho; oy++) {
                        int iy = oy * stride + ky - padding;
                        for (int ox = 0; ox < wo; ox++) {
                            int ix = ox * stride + kx - padding;
                            cols[row + oy * wo + ox] = iy >= 0 && iy < h && ix >= 0 && ix < wd
                                    ? x[off + (c * h + iy) * wd + ix] : 0.0;
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of im2col: every column entry is added back to the pixel it was read from (overwrites dx's image). */
    private void col2im(double[] dx, int off, int h, int wd, int ho, int wo) {
        Arrays.fill(dx, off, off + in * h * wd, 0.0);
        int spatial = ho * wo;
        for (int c = 0; c < in; c++) {
            for (int ky = 0; ky < kernel; ky++) {
                for (int kx = 0; kx < kernel; kx++) {
                    int row = ((c * kernel + ky) * kernel + kx) * spatial;
                    for (int oy = 0; oy < ho; oy++) {
                        int iy = oy * stride + ky - padding;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int ox = 0; ox < wo; ox++) {
                            int ix = ox * stride + kx - padding;
                            if (ix >= 0 && ix < wd) {
                                dx[off + (c * h + iy) * wd + ix] += dCols[row + oy * wo + ox];
                            }
                        }
                    }
                }
            }
        }
    }
}
