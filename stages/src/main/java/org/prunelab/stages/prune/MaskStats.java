package org.prunelab.stages.prune;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Connectivity statistics logged for every mask (protocol §5 "Connectivity statistics"). Degrees count
 * kept connections: a hidden unit's degree is its number of connected pixels, a pixel's degree its
 * number of connected hidden units.
 */
public record MaskStats(double sparsity, double meanDegreeHidden, int minDegreeHidden, int maxDegreeHidden,
        double meanDegreeVisible, int minDegreeVisible, int maxDegreeVisible, int isolatedVisible, int isolatedHidden,
        double pixelPairSharingFraction) {

    /**
     * Pair sharing = fraction of unordered visible pairs (i<j) with a common hidden unit (the
     * nonzero off-diagonal entries of M·Mᵀ). Each pixel's hidden neighbourhood is a bitset, so a pair
     * costs nh/64 ANDs: about 2.5M word operations for 784 x 500. Zero when nv < 2.
     */
    public static MaskStats of(byte[] mask, int nv, int nh) {
        if (nv <= 0 || nh <= 0 || (long) nv * nh != mask.length) {
            throw new IllegalArgumentException("mask has length " + mask.length + ", expected nv*nh = " + nv + "*" + nh);
        }
        int[] degV = new int[nv];
        int[] degH = new int[nh];
        int words = (nh + 63) >>> 6;
        long[] bits = new long[nv * words];
        int ones = 0;
        for (int i = 0; i < nv; i++) {
            int base = i * nh;
            for (int mu = 0; mu < nh; mu++) {
                if (mask[base + mu] != 0) {
                    degV[i]++;
                    degH[mu]++;
                    bits[i * words + (mu >>> 6)] |= 1L << (mu & 63);
                    ones++;
                }
            }
        }
        long pairs = 0;
        long sharing = 0;
        for (int i = 0; i < nv; i++) {
            int bi = i * words;
            for (int j = i + 1; j < nv; j++) {
                int bj = j * words;
                pairs++;
                for (int k = 0; k < words; k++) {
                    if ((bits[bi + k] & bits[bj + k]) != 0) {
                        sharing++;
                        break;
                    }
                }
            }
        }
        int minH = Integer.MAX_VALUE, maxH = 0, isoH = 0;
        for (int d : degH) {
            minH = Math.min(minH, d);
            maxH = Math.max(maxH, d);
            if (d == 0) {
                isoH++;
            }
        }
        int minV = Integer.MAX_VALUE, maxV = 0, isoV = 0;
        for (int d : degV) {
            minV = Math.min(minV, d);
            maxV = Math.max(maxV, d);
            if (d == 0) {
                isoV++;
            }
        }
        double sparsity = 1.0 - (double) ones / mask.length;
        return new MaskStats(sparsity, (double) ones / nh, minH, maxH, (double) ones / nv, minV, maxV, isoV, isoH,
                pairs == 0 ? 0.0 : (double) sharing / pairs);
    }

    /** Metric names with the prefix "mask.", in a fixed order. */
    public Map<String, Double> asMetrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("mask.sparsity", sparsity);
        m.put("mask.degree_hidden.mean", meanDegreeHidden);
        m.put("mask.degree_hidden.min", (double) minDegreeHidden);
        m.put("mask.degree_hidden.max", (double) maxDegreeHidden);
        m.put("mask.degree_visible.mean", meanDegreeVisible);
        m.put("mask.degree_visible.min", (double) minDegreeVisible);
        m.put("mask.degree_visible.max", (double) maxDegreeVisible);
        m.put("mask.isolated_visible", (double) isolatedVisible);
        m.put("mask.isolated_hidden", (double) isolatedHidden);
        m.put("mask.pixel_pair_sharing", pixelPairSharingFraction);
        return m;
    }
}
