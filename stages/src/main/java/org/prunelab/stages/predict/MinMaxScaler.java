package org.prunelab.stages.predict;

/**
 * Scales each feature to [0, 1] by the minimum and maximum seen when fitting (on training rows only,
 * so no test information leaks into the scaling). A constant feature maps to 0.
 */
public final class MinMaxScaler {
    private final double[] min;
    private final double[] range;

    private MinMaxScaler(double[] min, double[] range) {
        this.min = min;
        this.range = range;
    }

    public static MinMaxScaler fit(double[][] x) {
        int p = x[0].length;
        double[] lo = new double[p], hi = new double[p];
        java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (double[] row : x) {
            for (int j = 0; j < p; j++) {
                lo[j] = Math.min(lo[j], row[j]);
                hi[j] = Math.max(hi[j], row[j]);
            }
        }
        double[] range = new double[p];
        for (int j = 0; j < p; j++) {
            range[j] = hi[j] - lo[j];
        }
        return new MinMaxScaler(lo, range);
    }

    public double[][] transform(double[][] x) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                out[i][j] = range[j] > 0 ? (x[i][j] - min[j]) / range[j] : 0.0;
            }
        }
        return out;
    }
}
