package org.prunelab.stages.prune;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Mask construction for the pruning arms of protocol §5. A mask is a byte[] of 0/1 in the weight
 * layout; 0 = pruned. All functions return a new array and never revive a pruned entry.
 */
public final class Masks {
    private Masks() {
    }

    public static byte[] dense(int size) {
        byte[] m = new byte[size];
        Arrays.fill(m, (byte) 1);
        return m;
    }

    /**
     * Exactly round(sparsity*size) zeros, placed uniformly (partial Fisher–Yates): P1 `random`. The
     * same draws as {@link #randomFurther} from a dense mask, which is what it is.
     */
    public static byte[] random(int size, double sparsity, SplittableRandom rng) {
        checkFraction(sparsity);
        return randomFurther(dense(size), sparsity, rng);
    }

    /**
     * Prune the smallest |w| among surviving entries until the fraction of zeros is exactly
     * round(target*size)/size. Ties broken by lower index pruned first (deterministic). Target
     * below current sparsity -> IllegalArgumentException naming both. (P1 `lth`, P2 default.)
     */
    public static byte[] magnitude(double[] w, byte[] currentMask, double targetSparsity) {
        if (w.length != currentMask.length) {
            throw new IllegalArgumentException("w has length " + w.length + " but the mask has " + currentMask.length);
        }
        int toPrune = prunesNeeded(currentMask, targetSparsity);
        byte[] m = currentMask.clone();
        if (toPrune == 0) {
            return m;
        }
        // Magnitudes of the survivors, sorted: the toPrune-th smallest is the cut value.
        int survivors = currentMask.length - countZeros(currentMask);
        double[] mags = new double[survivors];
        int s = 0;
        for (int j = 0; j < w.length; j++) {
            if (currentMask[j] != 0) {
                double x = Math.abs(w[j]);
                if (Double.isNaN(x)) {
                    throw new IllegalArgumentException("w[" + j + "] is NaN; magnitudes cannot be ranked");
                }
                mags[s++] = x;
            }
        }
        Arrays.sort(mags);
        double cut = mags[toPrune - 1];
        int below = 0;
        for (int t = 0; t < toPrune && mags[t] < cut; t++) {
            below++;
        }
        // Everything strictly below the cut goes; then entries equal to the cut, lowest index first.
        int tiesToPrune = toPrune - below;
        for (int j = 0; j < w.length; j++) {
            if (currentMask[j] != 0) {
                double x = Math.abs(w[j]);
                if (x < cut) {
                    m[j] = 0;
                } else if (x == cut && tiesToPrune > 0) {
                    m[j] = 0;
                    tiesToPrune--;
                }
            }
        }
        return m;
    }

    /** Additional random pruning of survivors to the target (P2 option); uniform over survivors. */
    public static byte[] randomFurther(byte[] currentMask, double targetSparsity, SplittableRandom rng) {
        int toPrune = prunesNeeded(currentMask, targetSparsity);
        byte[] m = currentMask.clone();
        int[] surv = new int[currentMask.length - countZeros(currentMask)];
        int s = 0;
        for (int j = 0; j < currentMask.length; j++) {
            if (currentMask[j] != 0) {
                surv[s++] = j;
            }
        }
        for (int t = 0; t < toPrune; t++) {
            int pick = t + rng.nextInt(surv.length - t);
            int tmp = surv[t];
            surv[t] = surv[pick];
            surv[pick] = tmp;
            m[surv[t]] = 0;
        }
        return m;
    }

    public static double sparsity(byte[] mask) {
        return (double) countZeros(mask) / mask.length;
    }

    public static int countZeros(byte[] mask) {
        int z = 0;
        for (byte b : mask) {
            if (b == 0) {
                z++;
            }
        }
        return z;
    }

    /** Number of zeros a mask of this size has at this sparsity: round(sparsity*size). */
    public static int zerosFor(double sparsity, int size) {
        return (int) Math.round(sparsity * size);
    }

    private static int prunesNeeded(byte[] currentMask, double targetSparsity) {
        checkFraction(targetSparsity);
        int size = currentMask.length;
        int current = countZeros(currentMask);
        int target = zerosFor(targetSparsity, size);
        if (target < current) {
            throw new IllegalArgumentException("target sparsity " + targetSparsity + " (" + target + " zeros) is below the current sparsity "
                    + (double) current / size + " (" + current + " zeros of " + size + "); pruning never revives connections");
        }
        return target - current;
    }

    private static void checkFraction(double s) {
        if (!(s >= 0.0 && s <= 1.0)) {
            throw new IllegalArgumentException("sparsity must be in [0, 1], got " + s);
        }
    }
}
