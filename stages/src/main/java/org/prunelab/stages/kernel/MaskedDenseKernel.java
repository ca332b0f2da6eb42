package org.prunelab.stages.kernel;

/**
 * The numeric hot paths of a {@link MaskedDense} layer; faster kernels replace these without
 * touching any model family. Masked weights are exactly 0, so a dense kernel is correct; a sparse
 * one exploits the mask.
 *
 * <p>All arrays are row-major; {@code n} is the number of rows. Arrays may be longer than needed.
 * Implementations must be deterministic: the same inputs and thread count ({@code runtime.threads})
 * give bit-identical outputs (each output element computed by one thread in a fixed order).
 */
public interface MaskedDenseKernel {
    /** y = x·(W⊙M) + bias: out[r*out+k] = bias[k] + Σ_i x[r*in+i]·w[i*out+k]. */
    void forward(MaskedDense layer, double[] bias, double[] x, int n, double[] out);

    /** The transpose: out[r*in+i] = bias[i] + Σ_k y[r*out+k]·w[i*out+k]. */
    void transposed(MaskedDense layer, double[] bias, double[] y, int n, double[] out);

    /**
     * The masked outer-product gradient: g[i*out+k] += alpha·Σ_r x[r*in+i]·y[r*out+k] where
     * mask == 1; untouched where mask == 0.
     */
    void outerGradient(MaskedDense layer, double[] x, double[] y, int n, double alpha, double[] g);

    /**
     * The contrastive (CD/PCD) weight gradient of an RBM, both phases in one call:
     * g += (1/m)·xModelᵀ·yModel − (1/n)·xDataᵀ·yData where mask == 1; untouched where mask == 0.
     * By default the two {@link #outerGradient} calls, data phase first; a kernel may form both
     * phases in one product instead (the single-precision one does when n == m), which rounds
     * differently but within the same bound.
     */
    default void contrastiveGradient(MaskedDense layer, double[] xData, double[] yData, int n, double[] xModel,
                                     double[] yModel, int m, double[] g) {
        outerGradient(layer, xData, yData, n, -1.0 / n, g);
        outerGradient(layer, xModel, yModel, m, 1.0 / m, g);
    }

    /**
     * The layer's weights may have changed in place since the last call (an optimiser step,
     * pruning, a restore). Kernels that read the live weights ignore it; a kernel that keeps a
     * converted copy (the single-precision one) converts again at its next product. A trainer calls
     * it once per update, so the copy costs one conversion per update, not one per product.
     */
    default void weightsChanged() {
    }

    String name();
}
