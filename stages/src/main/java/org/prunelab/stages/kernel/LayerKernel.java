package org.prunelab.stages.kernel;

/**
 * The numeric hot paths of one masked linear layer (out×in weights, row-major, PyTorch layout).
 * Masked weights are exactly 0, so a dense kernel is correct; a sparse one visits only the kept
 * weights. Both sum every output in the same order (ascending input index for forward, ascending
 * output index for the input gradient, ascending row for the weight gradient), so on the kept
 * entries they agree to the last bit in practice and always to ~1e-12.
 *
 * <p>All arrays are row-major with {@code n} rows and may be longer than needed. Implementations are
 * deterministic: the same inputs and thread count ({@code runtime.threads}) give bit-identical outputs.
 */
public interface LayerKernel {
    int in();

    int out();

    /** z[r*out+o] = b[o] + Σ_i x[r*in+i]·w[o*in+i]. */
    void forward(double[] w, double[] b, double[] x, int n, double[] z);

    /** dx[r*in+i] = Σ_o dz[r*out+o]·w[o*in+i] (overwrites dx). */
    void backwardInput(double[] w, double[] dz, int n, double[] dx);

    /**
     * g[o*in+i] += alpha·Σ_r dz[r*out+o]·x[r*in+i] on kept entries. Pruned entries are left
     * unspecified (the dense kernel fills them, the sparse one leaves them untouched): the caller
     * masks the gradient (protocol §2.2: pruned weights never learn).
     */
    void weightGradient(double[] x, double[] dz, int n, double alpha, double[] g);

    /**
     * Whether {@link #weightGradient} writes kept entries only (pruned ones keep their value), so a
     * caller whose gradient array is 0 at pruned entries need neither clear nor mask those.
     */
    default boolean writesKeptGradientOnly() {
        return false;
    }

    String name();
}
