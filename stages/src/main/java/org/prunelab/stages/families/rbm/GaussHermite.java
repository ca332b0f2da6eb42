package org.prunelab.stages.families.rbm;

/**
 * Gauss–Hermite quadrature ∫ e^{−x²} f(x) dx ≈ Σ_k ω_k f(x_k), exact for polynomials of degree
 * ≤ 2n − 1. Nodes are found by Newton's method on the orthonormal Hermite polynomials (three-term
 * recurrence, asymptotic initial guesses as in Numerical Recipes' {@code gauher}); the weights are
 * ω_k = 2 / (√(2n)·h̃_{n−1}(x_k))², with h̃ the orthonormal polynomials. Nodes ascending.
 */
public final class GaussHermite {
    private final double[] nodes;
    private final double[] weights;

    private GaussHermite(double[] nodes, double[] weights) {
        this.nodes = nodes;
        this.weights = weights;
    }

    public static GaussHermite of(int n) {
        if (n < 1 || n > 200) {
            throw new IllegalArgumentException("node count must be in 1..200, got " + n);
        }
        final double pim4 = Math.pow(Math.PI, -0.25);
        double[] x = new double[n];
        double[] w = new double[n];
        int m = (n + 1) / 2;
        double z = 0.0;
        // x[0..m) holds the non-negative roots, largest first.
        for (int i = 0; i < m; i++) {
            if (i == 0) {
                z = Math.sqrt(2.0 * n + 1) - 1.85575 * Math.pow(2.0 * n + 1, -0.16667);
            } else if (i == 1) {
                z -= 1.14 * Math.pow(n, 0.426) / z;
            } else if (i == 2) {
                z = 1.86 * z - 0.86 * x[0];
            } else if (i == 3) {
                z = 1.91 * z - 0.91 * x[1];
            } else {
                z = 2.0 * z - x[i - 2];
            }
            double pp = 0.0;
            boolean converged = false;
            for (int iter = 0; iter < 100; iter++) {
                double p1 = pim4, p2 = 0.0;
                for (int j = 1; j <= n; j++) {
                    double p3 = p2;
                    p2 = p1;
                    p1 = z * Math.sqrt(2.0 / j) * p2 - Math.sqrt((double) (j - 1) / j) * p3;
                }
                pp = Math.sqrt(2.0 * n) * p2;
                double z1 = z;
                z = z1 - p1 / pp;
                if (Math.abs(z - z1) <= 3e-14 * Math.max(1.0, Math.abs(z))) {
                    // One more evaluation at the converged root for the weight.
                    p1 = pim4;
                    p2 = 0.0;
                    for (int j = 1; j <= n; j++) {
                        double p3 = p2;
                        p2 = p1;
                        p1 = z * Math.sqrt(2.0 / j) * p2 - Math.sqrt((double) (j - 1) / j) * p3;
                    }
                    pp = Math.sqrt(2.0 * n) * p2;
                    converged = true;
                    break;
                }
            }
            if (!converged) {
                throw new IllegalStateException("Newton iteration for Hermite root " + i + " of " + n + " did not converge");
            }
            if (n % 2 == 1 && i == m - 1) {
                z = 0.0; // the middle root of an odd-order polynomial is exactly 0
            }
            x[i] = z;
            w[i] = 2.0 / (pp * pp);
        }
        double[] nodes = new double[n];
        double[] weights = new double[n];
        for (int i = 0; i < m; i++) {
            nodes[n - 1 - i] = x[i];
            nodes[i] = -x[i];
            weights[n - 1 - i] = w[i];
            weights[i] = w[i];
        }
        for (int i = 1; i < n; i++) {
            if (!(nodes[i] > nodes[i - 1])) {
                throw new IllegalStateException("Hermite roots of order " + n + " not distinct: Newton converged to a wrong root");
            }
        }
        return new GaussHermite(nodes, weights);
    }

    public int size() {
        return nodes.length;
    }

    public double[] nodes() {
        return nodes.clone();
    }

    public double[] weights() {
        return weights.clone();
    }

    /** Nodes √2·x_k for E[f(τZ)] = Σ_k ω̂_k f(τ·√2·x_k), Z ~ N(0, 1). */
    double[] standardNormalNodes() {
        double[] t = new double[nodes.length];
        for (int k = 0; k < t.length; k++) {
            t[k] = Math.sqrt(2.0) * nodes[k];
        }
        return t;
    }

    /** Weights ω̂_k = ω_k/√π (they sum to 1). */
    double[] standardNormalWeights() {
        double[] t = new double[weights.length];
        for (int k = 0; k < t.length; k++) {
            t[k] = weights[k] / Math.sqrt(Math.PI);
        }
        return t;
    }
}
