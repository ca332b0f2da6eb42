package org.prunelab.stages.predict;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Bayesian ridge regression (MacKay's evidence approximation, the algorithm and defaults of
 * scikit-learn's {@code BayesianRidge}, which the authors used): weights ~ N(0, 1/λ), noise ~
 * N(0, 1/α), Gamma(10⁻⁶, 10⁻⁶) priors on both precisions, α and λ re-estimated from the evidence until
 * the weights change by less than 10⁻³ in sum of absolute values (at most 300 iterations). Features and target are centred, so
 * the intercept is not shrunk. The posterior mean is computed through one SVD of the centred design.
 */
public final class BayesianRidge implements Regressor {
    private static final double ALPHA_1 = 1e-6, ALPHA_2 = 1e-6, LAMBDA_1 = 1e-6, LAMBDA_2 = 1e-6;
    private static final int MAX_ITERATIONS = 300;
    private static final double TOLERANCE = 1e-3;

    private double[] coef;
    private double intercept;
    private double alpha;
    private double lambda;

    @Override
    public String name() {
        return "bayesian_ridge";
    }

    @Override
    public Regressor fresh(long seed) {
        return new BayesianRidge();
    }

    @Override
    public void fit(double[][] x, double[] y) {
        int n = x.length, p = x[0].length;
        double[] xMean = new double[p];
        double yMean = 0;
        for (int i = 0; i < n; i++) {
            yMean += y[i];
            for (int j = 0; j < p; j++) {
                xMean[j] += x[i][j];
            }
        }
        yMean /= n;
        for (int j = 0; j < p; j++) {
            xMean[j] /= n;
        }
        DMatrixRMaj a = new DMatrixRMaj(n, p);
        DMatrixRMaj b = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            b.set(i, 0, y[i] - yMean);
            for (int j = 0; j < p; j++) {
                a.set(i, j, x[i][j] - xMean[j]);
            }
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, p, true, true, true);
        if (!svd.decompose(a.copy())) {
            throw new IllegalStateException("SVD of the design matrix failed");
        }
        DMatrixRMaj u = svd.getU(null, false);      // n×k
        DMatrixRMaj w = svd.getW(null);             // k×k diagonal
        DMatrixRMaj vt = svd.getV(null, true);      // k×p
        int k = Math.min(n, p);
        double[] s2 = new double[k];
        for (int i = 0; i < k; i++) {
            s2[i] = w.get(i, i) * w.get(i, i);
        }
        DMatrixRMaj utb = new DMatrixRMaj(u.numCols, 1);
        CommonOps_DDRM.multTransA(u, b, utb);

        double varY = 0;
        for (int i = 0; i < n; i++) {
            varY += b.get(i, 0) * b.get(i, 0);
        }
        varY /= n;
        alpha = 1.0 / (varY + 1e-12);   // scikit-learn's start, guarded against a constant target
        lambda = 1.0;
        double[] c = new double[p];
        double[] previous = null;
        for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
            // Posterior mean: V · diag(s / (s² + λ/α)) · Uᵀ b.
            c = new double[p];
            for (int i = 0; i < k; i++) {
                double f = w.get(i, i) / (s2[i] + lambda / alpha) * utb.get(i, 0);
                for (int j = 0; j < p; j++) {
                    c[j] += vt.get(i, j) * f;
                }
            }
            double rss = 0;
            for (int r = 0; r < n; r++) {
                double pred = 0;
                for (int j = 0; j < p; j++) {
                    pred += a.get(r, j) * c[j];
                }
                rss += (b.get(r, 0) - pred) * (b.get(r, 0) - pred);
            }
            double gamma = 0;
            for (int i = 0; i < k; i++) {
                gamma += alpha * s2[i] / (lambda + alpha * s2[i]);
            }
            double cc = 0;
            for (double v : c) {
                cc += v * v;
            }
            lambda = (gamma + 2 * LAMBDA_1) / (cc + 2 * LAMBDA_2);
            alpha = (n - gamma + 2 * ALPHA_1) / (rss + 2 * ALPHA_2);
            if (previous != null && sumAbsDiff(previous, c) < TOLERANCE) {
                break;
            }
            previous = c;
        }
        // The final coefficients with the last precisions, as scikit-learn does after its loop.
        c = new double[p];
        for (int i = 0; i < k; i++) {
            double f = w.get(i, i) / (s2[i] + lambda / alpha) * utb.get(i, 0);
            for (int j = 0; j < p; j++) {
                c[j] += vt.get(i, j) * f;
            }
        }
        coef = c;
        double ic = yMean;
        for (int j = 0; j < p; j++) {
            ic -= xMean[j] * c[j];
        }
        intercept = ic;
    }

    private static double sumAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m += Math.abs(a[i] - b[i]);
        }
        return m;
    }

    @Override
    public double[] predict(double[][] x) {
        if (coef == null) {
            throw new IllegalStateException("predict before fit");
        }
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double s = intercept;
            for (int j = 0; j < coef.length; j++) {
                s += x[i][j] * coef[j];
            }
            out[i] = s;
        }
        return out;
    }

    /** Fitted coefficients (a copy). */
    public double[] coefficients() {
        return coef.clone();
    }

    /** Estimated noise precision α. */
    public double noisePrecision() {
        return alpha;
    }

    /** Estimated weight precision λ. */
    public double weightPrecision() {
        return lambda;
    }
}
