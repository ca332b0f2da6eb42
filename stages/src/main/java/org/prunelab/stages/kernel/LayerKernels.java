package org.prunelab.stages.kernel;

import java.util.Locale;
import org.prunelab.stages.linalg.Numerics;

/** Factory for the masked-linear-layer kernels of the MLP. */
public final class LayerKernels {
    /**
     * "auto" picks the sparse kernel for a layer whose fraction of pruned weights is at least this.
     * Recalibrated against the GEMM dense kernel with MlpBench (784-100-10, batch 64, SGD, 1 thread,
     * 2,000 MNIST images, 30 Nov 2026 at load average ~18): dense 6.4k samples/s vs sparse 1.4k on
     * the dense net; at 90 % / 95 % class-blinded compression the two tie (0.93x / 0.97x, within the
     * machine's noise). The CSR kernel therefore only pays from ~95 % pruned on. Re-measured with the
     * threaded, row-blocked CSR kernel and kept-weight optimiser loops (MlpBench, 1 thread, 30 Nov
     * 2026 16:08 UTC, load ~4): sparse/dense 0.73x at 90 %, 1.34x at 95 % (2-thread dense runs
     * collapsed under the load); the threshold stays.
     */
    public static final double AUTO_SPARSE_THRESHOLD = 0.95;

    private LayerKernels() {
    }

    public static LayerKernel dense(int in, int out) {
        return new DenseLayerKernel(in, out, Numerics.gemm());
    }

    /** A kernel indexed by {@code mask}; valid only while the layer keeps exactly that mask. */
    public static LayerKernel sparse(byte[] mask, int in, int out) {
        return new SparseLayerKernel(mask, in, out, Numerics.threads());
    }

    /** "dense" | "sparse" | "auto" (sparse when the layer's sparsity >= {@link #AUTO_SPARSE_THRESHOLD}). */
    public static LayerKernel forLayer(byte[] mask, int in, int out, String choice) {
        switch (choice.toLowerCase(Locale.ROOT)) {
            case "dense":
                return dense(in, out);
            case "sparse":
                return sparse(mask, in, out);
            case "auto": {
                int kept = 0;
                for (byte m : mask) {
                    kept += m != 0 ? 1 : 0;
                }
                double sparsity = 1.0 - (double) kept / mask.length;
                return sparsity >= AUTO_SPARSE_THRESHOLD ? sparse(mask, in, out) : dense(in, out);
            }
            default:
                throw new IllegalArgumentException("unknown kernel choice '" + choice + "', expected dense, sparse or auto");
        }
    }
}
