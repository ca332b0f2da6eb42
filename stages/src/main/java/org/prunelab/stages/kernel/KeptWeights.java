package org.prunelab.stages.kernel;

import java.util.Arrays;

/**
 * The kept (mask = 1) positions of a weight matrix, so that per-update loops — zeroing the
 * gradient, the optimiser step — visit kept weights only. Pruned weights, their gradient and their
 * optimiser state are exactly 0.0 and are never touched, so they stay exactly 0.0.
 *
 * <p>Element-wise loops: each element is written by one thread, so any thread split gives the same
 * bits, and the same bits as the full-matrix loop with a mask ({@code Optimizers}) on a matrix
 * whose pruned entries are 0.
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
