package org.prunelab.stages.prune;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.prunelab.stages.core.MaskedGroup;

/**
 * Percentile pruning of an MLP's weight layers, exactly as mlp-pruning protocol §2.2 defines it.
 *
 * <p>Every currently unpruned weight of a taking-part layer gets a saliency; a weight is kept iff
 * saliency ≥ threshold; new mask = old mask ∧ (saliency ≥ threshold); only unpruned weights enter
 * the (numpy linear) percentile. With rate p a step uses the 100·p-th percentile, so about the
 * fraction p of the remaining weights goes (ties at the threshold are kept).
 * <ul>
 *   <li>{@link Method#CLASS_BLINDED} (MCB): |w|, one global percentile over all taking-part layers;</li>
 *   <li>{@link Method#CLASS_UNIFORM} (MCU): |w|, one percentile per layer, so each loses the same fraction;</li>
 *   <li>{@link Method#CLASS_DISTRIBUTION} (MCD): |w|/σ_l, σ_l the unbiased std of the whole layer
 *       matrix, pruned zeros included; one global percentile;</li>
 *   <li>{@link Method#RANDOM}: U(0,1) per weight, one global percentile.</li>
 * </ul>
 * A "class" is a layer (See et al. 2016), not an output class. Which layers take part is explicit:
 * {@code included[l]}; the others keep their masks.
 */
public final class LayerPruning {
    private LayerPruning() {
    }

    /** The saliency of a weight; the registry names them (see {@link PercentilePruning}). */
    public enum Method {
        CLASS_BLINDED, CLASS_UNIFORM, CLASS_DISTRIBUTION, RANDOM
    }

    /** Which layers take part: all, or all but the output layer. */
    public static boolean[] layers(int layerCount, boolean pruneOutputLayer) {
        boolean[] in = new boolean[layerCount];
        for (int l = 0; l < in.length; l++) {
            in[l] = pruneOutputLayer || l < in.length - 1;
        }
        return in;
    }

    /**
     * Saliency of every weight, layer by layer (pruned entries get a value too but never enter a
     * percentile). Random draws one U(0,1) per weight of every layer in index order, so the draws
     * do not depend on the mask.
     */
    public static double[][] saliency(List<MaskedGroup> groups, Method method, SplittableRandom rng) {
        double[][] s = new double[groups.size()][];
        for (int l = 0; l < groups.size(); l++) {
            double[] w = groups.get(l).weights();
            s[l] = new double[w.length];
            switch (method) {
                case CLASS_BLINDED, CLASS_UNIFORM -> {
                    for (int j = 0; j < w.length; j++) {
                        s[l][j] = Math.abs(w[j]);
                    }
                }
                case CLASS_DISTRIBUTION -> {
                    double sigma = unbiasedStd(w);
                    if (!(sigma > 0.0)) {
                        if (groups.get(l).remaining() > 0) {
                            throw new IllegalStateException("layer " + l + " has std 0: |w|/σ is undefined");
                        }
                        sigma = 1.0; // an empty layer: nothing of it enters a percentile
                    }
                    for (int j = 0; j < w.length; j++) {
                        s[l][j] = Math.abs(w[j]) / sigma;
                    }
                }
                case RANDOM -> {
                    for (int j = 0; j < w.length; j++) {
                        s[l][j] = rng.nextDouble();
                    }
                }
                default -> throw new IllegalStateException(method.toString());
            }
        }
        return s;
    }

    /** Unbiased (n−1) standard deviation over the whole array, zeros included (two passes). */
    public static double unbiasedStd(double[] x) {
        if (x.length < 2) {
            return 0.0;
        }
        double mean = 0.0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double ss = 0.0;
        for (double v : x) {
            double d = v - mean;
            ss += d * d;
        }
        return Math.sqrt(ss / (x.length - 1));
    }

    /**
     * One pruning step removing the fraction {@code rate} of the remaining weights of the taking-part
     * layers: threshold = the 100·rate-th percentile (per layer for MCU, else global) of the
     * unpruned saliencies. Returns the new masks (copies; non-taking-part layers unchanged).
     */
    public static byte[][] step(List<MaskedGroup> groups, Method method, boolean[] included, double rate,
                                SplittableRandom rng) {
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException("rate must be in [0, 1], got " + rate);
        }
        return thresholdStep(groups, saliency(groups, method, rng), included, rate, method == Method.CLASS_UNIFORM);
    }

    /**
     * The percentile rule of {@link #step} on given saliencies (one per weight, layer by layer): keeps a
     * weight iff its saliency ≥ the 100·rate-th percentile of the unpruned saliencies, taken per layer
     * ({@code perLayer}) or pooled over the taking-part layers. Second-order rules (OBD, L-OBS) reuse it.
     */
    public static byte[][] thresholdStep(List<MaskedGroup> groups, double[][] s, boolean[] included, double rate,
                                         boolean perLayer) {
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException("rate must be in [0, 1], got " + rate);
        }
        double q = 100.0 * rate;
        int layers = groups.size();
        byte[][] masks = new byte[layers][];
        for (int l = 0; l < layers; l++) {
            masks[l] = groups.get(l).mask().clone();
        }
        if (rate == 0.0) {
            return masks;
        }
        if (perLayer) {
            for (int l = 0; l < layers; l++) {
                int remaining = groups.get(l).remaining();
                if (included[l] && remaining > 0) {
                    double t = Percentile.of(unpruned(s, groups.get(l), l), remaining, q);
                    keepAtLeast(masks[l], s[l], t);
                }
            }
            return masks;
        }
        List<double[]> parts = new ArrayList<>();
        int total = 0;
        for (int l = 0; l < layers; l++) {
            if (included[l]) {
                double[] u = unpruned(s, groups.get(l), l);
                parts.add(u);
                total += u.length;
            }
        }
        if (total == 0) {
            return masks;
        }
        double[] pooled = new double[total];
        int k = 0;
        for (double[] u : parts) {
            System.arraycopy(u, 0, pooled, k, u.length);
            k += u.length;
        }
        double t = Percentile.of(pooled, total, q);
        for (int l = 0; l < layers; l++) {
            if (included[l]) {
                keepAtLeast(masks[l], s[l], t);
            }
        }
        return masks;
    }

    /**
     * Single shot to a target compression (of ALL prunable weights, protocol §1): the rate is the
     * fraction of the taking-part layers' remaining weights whose removal reaches the target, i.e.
     * (remaining − (1−target)·total)/remaining_included. The percentile rule then hits it up to
     * ties and interpolation (within a weight or so per layer).
     */
    public static byte[][] oneShotTo(List<MaskedGroup> groups, Method method, boolean[] included,
                                     double targetCompression, SplittableRandom rng) {
        return step(groups, method, included, rateFor(groups, included, targetCompression), rng);
    }

    /** The step rate that takes the model to {@code targetCompression}; 0 if it is already there. */
    public static double rateFor(List<MaskedGroup> groups, boolean[] included, double targetCompression) {
        if (!(targetCompression >= 0.0 && targetCompression <= 1.0)) {
            throw new IllegalArgumentException("target compression must be in [0, 1], got " + targetCompression);
        }
        long total = MaskedGroup.totalSize(groups);
        long remaining = MaskedGroup.totalRemaining(groups);
        long includedRemaining = 0;
        for (int l = 0; l < groups.size(); l++) {
            if (included[l]) {
                includedRemaining += groups.get(l).remaining();
            }
        }
        double toRemove = remaining - (1.0 - targetCompression) * total;
        if (toRemove <= 0.0 || includedRemaining == 0) {
            return 0.0;
        }
        if (toRemove > includedRemaining) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "target compression %.4f needs %d more weights removed but the pruned layers hold only %d",
                    targetCompression, Math.round(toRemove), includedRemaining));
        }
        return toRemove / includedRemaining;
    }

    private static double[] unpruned(double[][] s, MaskedGroup group, int l) {
        double[] u = new double[group.remaining()];
        int k = 0;
        byte[] m = group.mask();
        for (int j = 0; j < m.length; j++) {
            if (m[j] != 0) {
                u[k++] = s[l][j];
            }
        }
        return u;
    }

    /** mask ← mask ∧ (s ≥ t). */
    private static void keepAtLeast(byte[] mask, double[] s, double t) {
        for (int j = 0; j < mask.length; j++) {
            if (mask[j] != 0 && !(s[j] >= t)) {
                mask[j] = 0;
            }
        }
    }

    /** Kept/total weights per layer, for reports. */
    public record Allocation(int layer, int kept, int total) {
        public double density() {
            return (double) kept / total;
        }
    }

    public static List<Allocation> allocation(List<MaskedGroup> groups) {
        List<Allocation> out = new ArrayList<>();
        for (int l = 0; l < groups.size(); l++) {
            out.add(new Allocation(l, groups.get(l).remaining(), groups.get(l).size()));
        }
        return out;
    }
}
