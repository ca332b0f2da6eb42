package org.prunelab.stages.kernel;

import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.linalg.Numerics;
import org.prunelab.stages.linalg.Precision;

/**
 * The training kernels in a {@code runtime.precision}, and that key. {@code float64} gives exactly
 * the kernels of {@link MaskedDenseKernels} and {@link LayerKernels} (so the default changes no
 * result); {@code float32} replaces their dense (GEMM) kernel by the sgemm one. The sparse (CSR)
 * kernels have no single-precision path and compute in fp64 whatever the precision (their limit is
 * the index-array scatter, not the arithmetic width); {@code auto} switches at the same sparsity.
 *
 * <p>A class of its own, not new methods on the existing factories: step identities fingerprint
 * the classes a stage reaches, and the evaluate stages and the other families that use those
 * factories compute nothing new.
 */
public final class PrecisionKernels {
    /**
     * {@code runtime.precision}, declared by every step that trains with these kernels (RBM train,
     * retrain and the lth-iterative prune arm; MLP train and prune), so it is part of their
     * identities; at its default it is left out of them (existing identities stay valid). Unlike
     * {@code runtime.threads}, an engine key in no identity, it changes the results' rounding.
     */
    public static final ConfigKey<String> KEY = ConfigKey.choice("runtime.precision", Precision.FLOAT64.configName(),
            Precision.NAMES, "arithmetic of the training products: float64, or float32 = dense GEMMs in single "
                    + "precision (sgemm) while weights, optimiser state, activations, sampling and checkpoints stay "
                    + "float64; sparse kernels and the evaluate step compute in float64; part of step identities");

    private PrecisionKernels() {
    }

    /** The precision a stage that declared {@link #KEY} trains in. */
    public static Precision of(StageConfig config) {
        return Precision.parse(config.get(KEY));
    }

    /**
     * The RBM-style kernel for {@code choice} ("dense" | "sparse" | "auto") in {@code precision}. A
     * float32 dense kernel keeps a float copy of the weights: build one per trainer, and tell it
     * {@link MaskedDenseKernel#weightsChanged()} after changing the weights in place.
     */
    public static MaskedDenseKernel masked(MaskedDense layer, String choice, Precision precision) {
        // The choice (and auto's threshold) is decided in one place; float32 only swaps the dense result.
        MaskedDenseKernel k = MaskedDenseKernels.forLayer(layer, choice);
        return precision == Precision.FLOAT32 && k.name().equals("dense") ? new Float32DenseKernel(Numerics.gemm()) : k;
    }

    /** The MLP-style out×in layer kernel for {@code choice} in {@code precision} (one per pass: it keeps scratch). */
    public static LayerKernel layer(byte[] mask, int in, int out, String choice, Precision precision) {
        LayerKernel k = LayerKernels.forLayer(mask, in, out, choice);
        return precision == Precision.FLOAT32 && k.name().equals("dense")
                ? new Float32DenseLayerKernel(in, out, Numerics.gemm()) : k;
    }
}
