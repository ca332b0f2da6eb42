package org.prunelab.stages.kernel;

import java.util.Locale;
import org.prunelab.stages.linalg.Numerics;

/** Factory for the {@link MaskedDenseKernel}s. */
public final class MaskedDenseKernels {
    /**
     * "auto" picks the sparse kernel at or above this sparsity. Recalibrated against the GEMM dense
     * kernel with RbmTrainBench (784x500, batch 100, CD-1, real binarised MNIST, 1 thread, 30 Nov
     * 2026 at load average ~20 on the 2-core machine): dense 831 samples/s; sparse 908 at s = 0.9 and
     * 1,775 at s = 0.99. Below 0.9 GEMM wins (the old EJML kernel lost to the sparse one already at
     * s = 0, hence the old threshold 0.3). See docs/PERFORMANCE.md.
     *
     * <p>Re-measured with the threaded CSR kernel (RbmTrainBench CD-1, two runs, 30 Nov 2026 16:07 UTC,
     * load average 3.6–3.9): 1 thread, dense fp64 4,550 / 4,620 samples/s, sparse 2,750–3,140 at
     * s = 0.7, 4,430–4,470 at 0.8, 3,990–5,200 at 0.85, 5,630–6,790 at 0.9 (dense fp32 5,500–5,810);
     * 2 threads, in the round where the dense GEMM did not collapse under the load, dense 6,100 vs
     * sparse 6,640 at 0.9. The crossover is ≈ 0.8–0.85 on one thread and ≈ 0.9 on two (the default)
     * and against fp32, so the threshold stays: moving it would also change, at rounding level, the
     * results of the studies' s = 0.8 points, which would switch kernel.
     */
    public static final double AUTO_SPARSE_THRESHOLD = 0.9;

    private MaskedDenseKernels() {
    }

    /** The GEMM / binary-gather kernel on {@link Numerics}' current threads (stateless, shareable). */
    public static MaskedDenseKernel dense() {
        return new DenseKernel(Numerics.gemm(), Numerics.threads());
    }

    /** A kernel indexed by {@code layer.mask()}; it rejects layers with a different mask. */
    public static MaskedDenseKernel sparse(MaskedDense layer) {
        return new SparseKernel(layer, Numerics.threads());
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
