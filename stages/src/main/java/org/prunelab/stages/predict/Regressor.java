package org.prunelab.stages.predict;

/**
 * A regression model that predicts a scalar (e.g. a network's test accuracy) from a feature row
 * (e.g. its graph's structural properties). Fitting replaces any previous fit; both methods take
 * row-major {@code x[row][feature]}. Seeded implementations are deterministic.
 */
public interface Regressor {
    /** Short name for reports and metric keys, e.g. {@code bayesian_ridge}. */
    String name();

    void fit(double[][] x, double[] y);

    double[] predict(double[][] x);

    /** A fresh, unfitted copy with the same settings and a seed derived from {@code seed}. */
    Regressor fresh(long seed);
}
