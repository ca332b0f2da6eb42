package org.prunelab.stages.kernel;

import java.util.Arrays;

/**
 * The kept (mask = 1) positions of a weight matrix, so that per-update loops — zeroing the
 * gradient, the optimiser step — visit kept weights only. Pruned weights, their gradient and their
 * optimiser state are exactly 0.0 and are never touched, so they stay exactly 0.0.
 *
 * <p>Element-wise loops: each element is written by one thread, so any thread split gives the same
 * bits, and the same bits as the full-matrix loop with a mask ({@code Optimizers}) on a matrix
 * whose pruned entries are 0. Used by the RBM (momentum with the rate in the velocity) and the MLP
 * (PyTorch SGD and Adam).
 */
public final class KeptWeights {
    private final byte[] mask;      // private copy, to tell whether a mask array still matches
    private final int[] index;      // kept positions, ascending; null when every weight is kept
    private final int threads;

    private KeptWeights(byte[] mask, int threads) {
        this.mask = mask.clone();
        int kept = KernelChecks.kept(mask);
        if (kept == mask.length) {
            index = null;
        } else {
            index = new int[kept];
            for (int j = 0, k = 0; j < mask.length; j++) {
                if (mask[j] != 0) {
                    index[k++] = j;
                }
            }
        }
        this.threads = threads;
    }

    public static KeptWeights of(byte[] mask, int threads) {
        return new KeptWeights(mask, threads);
    }

    /** Whether {@code m} has the content this index was built from. */
    public boolean matches(byte[] m) {
        return Arrays.equals(m, mask);
    }

    public int count() {
        return index == null ? mask.length : index.length;
    }

    /** x ← M⊙x for each array: pruned positions set to exactly 0.0 (once, when the index is built). */
    public void enforce(double[]... arrays) {
        if (index == null) {
            return;
        }
        for (double[] x : arrays) {
            for (int j = 0; j < mask.length; j++) {
                if (mask[j] == 0) {
                    x[j] = 0.0;
                }
            }
        }
    }

    /** g ← 0 on kept positions (pruned ones are 0 already and stay so). */
    public void zero(double[] g) {
        if (index == null) {
            Arrays.fill(g, 0.0);
            return;
        }
        for (int j : index) {
            g[j] = 0.0;
        }
    }

    /**
     * PyTorch SGD with momentum on kept weights only: v = μ·v + g; p −= lr·v, the formula of
     * {@code Optimizers.sgd}.
     */
    public void sgd(double[] p, double[] g, double[] v, double mu, double lr) {
        RowSplit.run(count(), threads, 3L * count(), (from, to) -> {
            for (int q = from; q < to; q++) {
                int j = index == null ? q : index[q];
                double vel = mu * v[j] + g[j];
                v[j] = vel;
                p[j] -= lr * vel;
            }
        });
    }

    /**
     * PyTorch Adam on kept weights only, the formula of {@code Optimizers.adam} with the step's
     * constants ({@code Optimizers.AdamStep}: β1, β2, ε, lr/(1−β1ᵗ), √(1−β2ᵗ)) passed one by one.
     */
    public void adam(double[] p, double[] g, double[] m, double[] s, double b1, double b2, double eps,
                     double stepSize, double bc2Sqrt) {
        RowSplit.run(count(), threads, 8L * count(), (from, to) -> {
            for (int q = from; q < to; q++) {
                int j = index == null ? q : index[q];
                double gj = g[j];
                double mj = b1 * m[j] + (1.0 - b1) * gj;
                double sj = b2 * s[j] + (1.0 - b2) * gj * gj;
                m[j] = mj;
                s[j] = sj;
                p[j] -= stepSize * mj / (Math.sqrt(sj) / bc2Sqrt + eps);
            }
        });
    }

    /**
     * Hinton's momentum step on kept weights only: v = μ·v + lr·(g + λ·p); p −= v (λ = 0 leaves the
     * decay term out), the formula of {@code Optimizers.sgdLrInVelocity}.
     */
    public void sgdLrInVelocity(double[] p, double[] g, double[] v, double mu, double lr, double l2) {
        RowSplit.run(count(), threads, 4L * count(), (from, to) -> {
            if (index == null) {
                for (int j = from; j < to; j++) {
                    double vel = mu * v[j] + (l2 == 0.0 ? lr * g[j] : lr * (g[j] + l2 * p[j]));
                    v[j] = vel;
                    p[j] -= vel;
                }
                return;
            }
            for (int q = from; q < to; q++) {
                int j = index[q];
                double vel = mu * v[j] + (l2 == 0.0 ? lr * g[j] : lr * (g[j] + l2 * p[j]));
                v[j] = vel;
                p[j] -= vel;
            }
        });
    }
}
