package org.prunelab.stages.families.rbm;

import java.util.Arrays;
import org.prunelab.stages.prune.Masks;

/**
 * The minimal-core test's adversarial criterion (rbm-dilution protocol §8): remove the LARGEST
 * surviving |W| first, the opposite of magnitude pruning. If the network's quality rests on a small
 * core of strong connections, this criterion collapses it at a far lower sparsity than
 * smallest-first, with random in between. Exactly round(s·n) zeros, like {@link Masks#magnitude};
 * ties pruned lowest index first. Kept in the RBM family: only the minimal-core arm uses it.
 */
public final class LargestFirstMask {
    private LargestFirstMask() {
    }

    public static byte[] of(double[] w, byte[] currentMask, double targetSparsity) {
        if (w.length != currentMask.length) {
            throw new IllegalArgumentException("w has length " + w.length + " but the mask has " + currentMask.length);
        }
        if (!(targetSparsity >= 0 && targetSparsity <= 1)) {
            throw new IllegalArgumentException("target sparsity must be in [0, 1], got " + targetSparsity);
        }
        int current = Masks.countZeros(currentMask);
        int target = Masks.zerosFor(targetSparsity, w.length);
        if (target < current) {
            throw new IllegalArgumentException("target sparsity " + targetSparsity + " is below the current sparsity "
                    + Masks.sparsity(currentMask) + "; pruning never revives connections");
        }
        Integer[] survivors = new Integer[w.length - current];
        int s = 0;
        for (int j = 0; j < w.length; j++) {
            if (currentMask[j] != 0) {
                if (Double.isNaN(w[j])) {
                    throw new IllegalArgumentException("w[" + j + "] is NaN; magnitudes cannot be ranked");
                }
                survivors[s++] = j;
            }
        }
        // Largest |w| first; equal magnitudes: lower index first (a stable sort keeps index order).
        Arrays.sort(survivors, (i, j) -> Double.compare(Math.abs(w[j]), Math.abs(w[i])));
        byte[] m = currentMask.clone();
        for (int t = 0; t < target - current; t++) {
            m[survivors[t]] = 0;
        }
        return m;
    }
}
