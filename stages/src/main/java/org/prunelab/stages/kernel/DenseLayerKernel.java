package org.prunelab.stages.kernel;

/** Plain dense loops over the full out×in matrix; the reference for the sparse kernel. */
final class DenseLayerKernel implements LayerKernel {
    private final int in, out;

    DenseLayerKernel(int in, int out) {
        this.in = in;
        this.out = out;
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
                int wb = o * in;
                double s = 0.0;
                for (int i = 0; i < in; i++) {
                    s += x[xb + i] * w[wb + i];
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
            java.util.Arrays.fill(dx, xb, xb + in, 0.0);
            for (int o = 0; o < out; o++) {
                double d = dz[r * out + o];
                if (d == 0.0) {
                    continue; // adds exactly nothing; ReLU makes many of these
                }
                int wb = o * in;
                for (int i = 0; i < in; i++) {
                    dx[xb + i] += d * w[wb + i];
                }
            }
        }
    }

    @Override
    public void weightGradient(double[] x, double[] dz, int n, double alpha, double[] g) {
        KernelChecks.rows("x", x, n, in);
        KernelChecks.rows("dz", dz, n, out);
        // Row o of g stays in cache while the n input rows stream past.
        for (int o = 0; o < out; o++) {
            int gb = o * in;
            for (int r = 0; r < n; r++) {
                double d = dz[r * out + o];
                if (d == 0.0) {
                    continue;
                }
                double ad = alpha * d;
                int xb = r * in;
                for (int i = 0; i < in; i++) {
                    g[gb + i] += ad * x[xb + i];
                }
            }
        }
    }

    @Override
    public String name() {
        return "dense";
    }
}
