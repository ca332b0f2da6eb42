package org.prunelab.stages.kernel;

import java.util.Locale;
import org.prunelab.stages.linalg.Numerics;

/** Factory for the {@link MaskedDenseKernel}s. */
public final class MaskedDenseKernels {
    /**
     * "auto" picks the sparse kernel at or above this sparsity. Calibrated roughly with KernelBench
     * (784x500, batch 100, CD-1, one core of a 2-core machine): on binary inputs the sparse kernel
     * also skips off units and already matches or beats EJML at s = 0 (1.9x at MNIST-like 13 %
     * pixel density, 0.97x at 50 %); an earlier version without zero-skipping, which is what
     * non-binary (mean-field) inputs get, broke even between s = 0 and 0.5 (0.85x and 1.7x).
     * 0.3 keeps the dense kernel only where the two are close.
     */
    public static final double AUTO_SPARSE_THRESHOLD = 0.3;

    private MaskedDenseKernels() {
    }

    /** The GEMM / binary-gather kernel on {@link Numerics}' current threads (stateless, shareable). */
    public static MaskedDenseKernel dense() {
        return new DenseKernel(Numerics.gemm(), Numerics.threads());
    }

    /** A kernel indexed by {@code layer.mask()}; it rejects layers with a different mask. */
    public static MaskedDenseKernel sparse(MaskedDense layer) {
        return new SparseKernel(layer);
    }

    /** "dense" | "sparse" | "auto" (sparse when sparsity >= {@link #AUTO_SPARSE_THRESHOLD}). */
    public static MaskedDenseKernel forLayer(MaskedDense layer, String choice) {
        switch (choice.toLowerCase(Locale.ROOT)) {
            case "dense":
                return dense();
            case "sparse":
                return sparse(layer);
            case "auto":
                double sparsity = 1.0 - (double) KernelChecks.kept(layer.mask()) / layer.mask().length;
                return sparsity >= AUTO_SPARSE_THRESHOLD ? sparse(layer) : dense();
            default:
                throw new IllegalArgumentException("unknown kernel choice '" + choice + "', expected dense, sparse or auto");
        }
    }
}
