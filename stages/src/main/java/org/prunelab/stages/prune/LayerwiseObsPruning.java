package org.prunelab.stages.prune;

import java.util.List;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.prunelab.stages.core.MaskedGroup;

/**
 * Layer-wise Optimal Brain Surgeon (Dong, Chen, Pan 2017; mlp-pruning protocol §2.2). For a layer with
 * inputs x, every output unit's reconstruction error ½·(1/n)·Σ_n (δwᵀx_n)² has the Hessian
 * H = (1/n)·Σ_n x_n x_nᵀ ({@link Curvature#inputSecondMoment}), the same for all units of the layer.
 *
 * <ul>
 *   <li>H is damped, H + λ·I with λ = {@code damping}·mean(diag H) (inputs such as MNIST's border
 *       pixels are constant, so H itself is singular), and inverted by EJML's Cholesky routine;</li>
 *   <li>saliency of weight q (output o, input i): w_q² / (2·[H⁻¹]_ii);</li>
 *   <li>threshold per layer: every taking-part layer loses the same fraction (the authors' scope);</li>
 *   <li>update: for each output unit, the weights that survive are corrected so the unit's layer-wise
 *       error is the least possible with every pruned input (old and new) at 0 — the OBS update. With
 *       one weight q removed from a dense unit this is δw = −(w_q/[H⁻¹]_qq)·H⁻¹e_q. In general, with C
 *       the unit's pruned inputs and F the kept ones, δw_F = H_FF⁻¹·H_FC·w_C, or equivalently
 *       δw = −H⁻¹_{:,C}·(H⁻¹_CC)⁻¹·w_C; the smaller of the two systems is solved.</li>
 * </ul>
 */
public final class LayerwiseObsPruning implements SecondOrderPruning {
    /** The damping prunelab uses unless configured: λ = 1e-4 × the mean diagonal of H. */
    public static final double DEFAULT_DAMPING = 1e-4;

    private final double damping;

    public LayerwiseObsPruning(double damping) {
        if (!(damping >= 0.0 && Double.isFinite(damping))) {
            throw new IllegalArgumentException("L-OBS damping must be >= 0, got " + damping);
        }
        this.damping = damping;
    }

    @Override
    public String name() {
        return "l-obs";
    }

    /** H + λ·I, λ = damping·mean(diag H), as a new n×n matrix. */
    DMatrixRMaj damped(double[] h, int n, int layer) {
        if (h.length != n * n) {
            throw new IllegalArgumentException("input second moment of group " + layer + " has " + h.length
                    + " entries, expected " + n + "x" + n);
        }
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        System.arraycopy(h, 0, m.data, 0, h.length);
        double trace = 0.0;
        for (int i = 0; i < n; i++) {
            trace += h[i * n + i];
        }
        double lambda = damping * trace / n;
        for (int i = 0; i < n; i++) {
            m.data[i * n + i] += lambda;
        }
        return m;
    }

    private DMatrixRMaj inverse(DMatrixRMaj h, int layer) {
        DMatrixRMaj inv = new DMatrixRMaj(h.numRows, h.numCols);
        if (!CommonOps_DDRM.invertSPD(h.copy(), inv)) {
            throw new IllegalStateException(String.format(Locale.ROOT, "L-OBS: the damped input second moment of"
                    + " layer %d is not positive definite (damping %g); raise the damping", layer, damping));
        }
        return inv;
    }

    /** w_q² / (2·[H⁻¹]_ii) for every weight of the layer (rows × cols, i the column). */
    static double[] saliency(double[] w, int rows, int cols, DMatrixRMaj hInv) {
        double[] s = new double[w.length];
        for (int o = 0; o < rows; o++) {
            for (int i = 0; i < cols; i++) {
                double v = w[o * cols + i];
                s[o * cols + i] = v * v / (2.0 * hInv.get(i, i));
            }
        }
        return s;
    }

    @Override
    public PrunedLayers prune(List<MaskedGroup> groups, PruningRequest request, Curvature curvature) {
        boolean[] included = request.includedFlags(groups.size());
        int layers = groups.size();
        DMatrixRMaj[] h = new DMatrixRMaj[layers];
        DMatrixRMaj[] hInv = new DMatrixRMaj[layers];
        double[][] s = new double[layers][];
        for (int l = 0; l < layers; l++) {
            MaskedGroup g = groups.get(l);
            s[l] = new double[g.size()];
            if (included[l] && g.remaining() > 0) {
                h[l] = damped(curvature.inputSecondMoment(l), g.cols(), l);
                hInv[l] = inverse(h[l], l);
                s[l] = saliency(g.weights(), g.rows(), g.cols(), hInv[l]);
            }
        }
        byte[][] masks = request.target() instanceof PruningRequest.Count c
                ? ExactCount.removeLowest(groups, s, included, c.value(), true)
                : LayerPruning.thresholdStep(groups, s, included, SecondOrderPruning.rateOf(groups, included, request),
                true);
        double[][] weights = new double[layers][];
        for (int l = 0; l < layers; l++) {
            MaskedGroup g = groups.get(l);
            weights[l] = g.weights().clone();
            if (h[l] != null) {
                for (int o = 0; o < g.rows(); o++) {
                    correctUnit(weights[l], g.mask(), masks[l], o, g.cols(), h[l], hInv[l]);
                }
            }
        }
        return new PrunedLayers(masks, weights);
    }

    /**
     * The OBS correction of output unit o (row o of w, in place): nothing if the step pruned none of its
     * weights; otherwise its kept weights move to the least layer-wise error with its pruned ones at 0.
     */
    static void correctUnit(double[] w, byte[] oldMask, byte[] newMask, int o, int cols, DMatrixRMaj h,
                            DMatrixRMaj hInv) {
        int base = o * cols;
        int kept = 0;
        boolean pruned = false;
        for (int i = 0; i < cols; i++) {
            kept += newMask[base + i];
            pruned |= oldMask[base + i] != 0 && newMask[base + i] == 0;
        }
        if (!pruned) {
            return;
        }
        int[] f = new int[kept];
        int[] c = new int[cols - kept];
        for (int i = 0, a = 0, b = 0; i < cols; i++) {
            if (newMask[base + i] != 0) {
                f[a++] = i;
            } else {
                c[b++] = i;
            }
        }
        double[] delta = f.length <= c.length ? keptSystem(w, base, f, c, h) : prunedSystem(w, base, f, c, hInv);
        for (int a = 0; a < f.length; a++) {
            w[base + f[a]] += delta[a];
        }
        for (int i : c) {
            w[base + i] = 0.0;
        }
    }

    /** δw_F = H_FF⁻¹·H_FC·w_C. */
    private static double[] keptSystem(double[] w, int base, int[] f, int[] c, DMatrixRMaj h) {
        if (f.length == 0) {
            return new double[0];
        }
        DMatrixRMaj hff = new DMatrixRMaj(f.length, f.length);
        DMatrixRMaj rhs = new DMatrixRMaj(f.length, 1);
        for (int a = 0; a < f.length; a++) {
            for (int b = 0; b < f.length; b++) {
                hff.set(a, b, h.get(f[a], f[b]));
            }
            double sum = 0.0;
            for (int i : c) {
                sum += h.get(f[a], i) * w[base + i];
            }
            rhs.set(a, 0, sum);
        }
        DMatrixRMaj x = new DMatrixRMaj(f.length, 1);
        if (!CommonOps_DDRM.solveSPD(hff, rhs, x)) {
            throw new IllegalStateException("L-OBS: a kept block of the damped Hessian is not positive definite");
        }
        return x.data;
    }

    /** δw_F = −H⁻¹_{F,C}·(H⁻¹_CC)⁻¹·w_C. */
    private static double[] prunedSystem(double[] w, int base, int[] f, int[] c, DMatrixRMaj hInv) {
        DMatrixRMaj hcc = new DMatrixRMaj(c.length, c.length);
        DMatrixRMaj wc = new DMatrixRMaj(c.length, 1);
        for (int a = 0; a < c.length; a++) {
            for (int b = 0; b < c.length; b++) {
                hcc.set(a, b, hInv.get(c[a], c[b]));
            }
            wc.set(a, 0, w[base + c[a]]);
        }
        DMatrixRMaj y = new DMatrixRMaj(c.length, 1);
        if (!CommonOps_DDRM.solveSPD(hcc, wc, y)) {
            throw new IllegalStateException("L-OBS: a pruned block of the inverse Hessian is not positive definite");
        }
        double[] delta = new double[f.length];
        for (int a = 0; a < f.length; a++) {
            double sum = 0.0;
            for (int b = 0; b < c.length; b++) {
                sum += hInv.get(f[a], c[b]) * y.get(b, 0);
            }
            delta[a] = -sum;
        }
        return delta;
    }
}
