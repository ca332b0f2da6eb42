package org.prunelab.stages.prune;

import java.util.Arrays;
import java.util.List;
import org.prunelab.stages.core.MaskedGroup;

/**
 * The authors' "absolute" pruning (mlp-pruning protocol §2.3, experiment 3): remove exactly N of the
 * remaining taking-part weights, the lowest saliencies first. Unlike the percentile rule this is exact
 * whatever the ties: equal saliencies are removed lower layer first, then lower index. Pooled over the
 * layers, or per layer with N split in proportion to each layer's remaining weights (largest
 * remainders, ties to the lower layer), so the layers lose the same fraction (the class-uniform case).
 */
public final class ExactCount {
    private ExactCount() {
    }

    /** New masks (copies) with exactly min(count, remaining taking-part weights) more zeros. */
    public static byte[][] removeLowest(List<MaskedGroup> groups, double[][] s, boolean[] included, long count,
                                        boolean perLayer) {
        byte[][] masks = PruningMethod.currentMasks(groups);
        if (perLayer) {
            long[] share = perLayerShares(groups, included, count);
            for (int l = 0; l < groups.size(); l++) {
                if (share[l] > 0) {
                    boolean[] only = new boolean[groups.size()];
                    only[l] = true;
                    removePooled(groups, s, only, share[l], masks);
                }
            }
            return masks;
        }
        removePooled(groups, s, included, count, masks);
        return masks;
    }

    /** count split over the taking-part layers in proportion to their remaining weights; sums to min(count, total). */
    static long[] perLayerShares(List<MaskedGroup> groups, boolean[] included, long count) {
        int layers = groups.size();
        long total = 0;
        for (int l = 0; l < layers; l++) {
            total += included[l] ? groups.get(l).remaining() : 0;
        }
        long n = Math.min(count, total);
        long[] share = new long[layers];
        double[] rest = new double[layers];
        long given = 0;
        for (int l = 0; l < layers; l++) {
            if (included[l] && total > 0) {
                double exact = (double) n * groups.get(l).remaining() / total;
                share[l] = (long) Math.floor(exact);
                rest[l] = exact - share[l];
                given += share[l];
            }
        }
        while (given < n) { // largest remainder first, lower layer on ties
            int best = -1;
            for (int l = 0; l < layers; l++) {
                if (included[l] && share[l] < groups.get(l).remaining() && (best < 0 || rest[l] > rest[best])) {
                    best = l;
                }
            }
            share[best]++;
            rest[best] = -1.0;
            given++;
        }
        return share;
    }

    private static void removePooled(List<MaskedGroup> groups, double[][] s, boolean[] included, long count,
                                     byte[][] masks) {
        int total = 0;
        for (int l = 0; l < groups.size(); l++) {
            total += included[l] ? groups.get(l).remaining() : 0;
        }
        long[] keys = new long[total]; // (layer, index) packed, sorted by saliency through an index array
        double[] sal = new double[total];
        int k = 0;
        for (int l = 0; l < groups.size(); l++) {
            if (!included[l]) {
                continue;
            }
            byte[] m = groups.get(l).mask();
            for (int j = 0; j < m.length; j++) {
                if (m[j] != 0) {
                    if (Double.isNaN(s[l][j])) {
                        throw new IllegalStateException("saliency of weight " + j + " in layer " + l + " is NaN");
                    }
                    keys[k] = ((long) l << 32) | j;
                    sal[k] = s[l][j];
                    k++;
                }
            }
        }
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        // Stable sort by saliency: entries were laid out by layer then index, so ties keep that order.
        Arrays.sort(order, (a, b) -> Double.compare(sal[a], sal[b]));
        long n = Math.min(count, total);
        for (int i = 0; i < n; i++) {
            long key = keys[order[i]];
            masks[(int) (key >>> 32)][(int) key] = 0;
        }
    }
}
