package org.prunelab.stages.core;

/**
 * Every parameter update of prunelab, in one place and with one sign convention: {@code g} is the
 * gradient of the loss to minimise, and every rule moves the parameters against it (p −= …). A
 * family that ascends a likelihood (the RBM) passes the negated gradient.
 *
 * <p>Masks: where {@code mask[j] == 0} the parameter and its optimiser state are set to exactly 0.0
 * and the gradient is ignored, so pruned weights never learn (rbm-dilution protocol §4, mlp-pruning protocol §2.2). A null mask
 * (biases) updates every entry.
 *
 * <p>Two momentum forms exist because the two papers reproduced here use them and they differ in
 * floating point (not only in scale) when the learning rate changes:
 * <pre>
 *   sgd (PyTorch):               v = μ·v + g;           p −= lr·v
 *   sgdLrInVelocity (Hinton):    v = μ·v + lr·(g + λ·p); p −= v          (λ = 0: no decay term)
 *   adam (PyTorch, no AMSGrad):  m = β1·m + (1−β1)·g;  s = β2·s + (1−β2)·g²;
 *                                p −= (lr/(1−β1ᵗ))·m / (√s/√(1−β2ᵗ) + ε)
 * </pre>
 * Single-threaded, fixed order, deterministic.
 */
public final class Optimizers {
    private Optimizers() {
    }

    /** PyTorch SGD with momentum (no dampening, no Nesterov): v = μ·v + g; p −= lr·v. */
    public static void sgd(double[] p, double[] g, double[] v, byte[] mask, double mu, double lr) {
        for (int j = 0; j < p.length; j++) {
            if (mask != null && mask[j] == 0) {
                p[j] = 0.0;
                v[j] = 0.0;
                continue;
            }
            double vel = mu * v[j] + g[j];
            v[j] = vel;
            p[j] -= lr * vel;
        }
    }

    /**
     * Momentum with the learning rate inside the velocity and optional L2 decay (Hinton's practical
     * guide): v = μ·v + lr·(g + λ·p); p −= v. With λ = 0 the decay term is left out, not added as 0.
     */
    public static void sgdLrInVelocity(double[] p, double[] g, double[] v, byte[] mask, double mu, double lr,
                                       double l2) {
        for (int j = 0; j < p.length; j++) {
            if (mask != null && mask[j] == 0) {
                p[j] = 0.0;
                v[j] = 0.0;
                continue;
            }
            double vel = mu * v[j] + (l2 == 0.0 ? lr * g[j] : lr * (g[j] + l2 * p[j]));
            v[j] = vel;
            p[j] -= vel;
        }
    }

    /** Adam's per-update constants at step t (t counts updates from 1). */
    public record AdamStep(double beta1, double beta2, double epsilon, double stepSize, double bc2Sqrt) {
        public static AdamStep at(long t, double lr, double beta1, double beta2, double epsilon) {
            if (t < 1) {
                throw new IllegalArgumentException("Adam step count starts at 1, got " + t);
            }
            double bc1 = 1.0 - Math.pow(beta1, t);
            double bc2Sqrt = Math.sqrt(1.0 - Math.pow(beta2, t));
            return new AdamStep(beta1, beta2, epsilon, lr / bc1, bc2Sqrt);
        }
    }

    /** PyTorch Adam (no weight decay, no AMSGrad) with first moment m and second moment s. */
    public static void adam(double[] p, double[] g, double[] m, double[] s, byte[] mask, AdamStep step) {
        double b1 = step.beta1(), b2 = step.beta2(), eps = step.epsilon();
        double stepSize = step.stepSize(), bc2Sqrt = step.bc2Sqrt();
        for (int j = 0; j < p.length; j++) {
            if (mask != null && mask[j] == 0) {
                p[j] = 0.0;
                m[j] = 0.0;
                s[j] = 0.0;
                continue;
            }
            double gj = g[j];
            double mj = b1 * m[j] + (1.0 - b1) * gj;
            double sj = b2 * s[j] + (1.0 - b2) * gj * gj;
            m[j] = mj;
            s[j] = sj;
            p[j] -= stepSize * mj / (Math.sqrt(sj) / bc2Sqrt + eps);
        }
    }
}
