package org.prunelab.stages.prune;


/**
 * Mask operations of the lottery-ticket arms (rbm-dilution protocol §5 P1 {@code lth} and
 * {@code lth-iterative}; Frankle &amp; Carbin, arXiv 1803.03635): magnitude masks from trained
 * weights (global or per hidden unit), rewinding the survivors to their initial values, and the
 * iterative schedule. Masks use the weight layout {@code i*nh + mu}; 0 = pruned. Pruning never
 * revives a connection.
 */
public final class LotteryTicket {
    private LotteryTicket() {
    }

    /**
     * Global ranking: keep the top (1 − s) fraction of |W| over all nv·nh weights (exactly
     * round(s·nv·nh) zeros; ties pruned lowest index first). Entries already pruned in
     * {@code currentMask} stay pruned and count towards s.
     */
    public static byte[] globalMagnitude(double[] trainedW, byte[] currentMask, double sparsity) {
        return Masks.magnitude(trainedW, currentMask, sparsity);
    }

    /** Number of incoming connections each hidden unit keeps at sparsity s: nv − round(s·nv). */
    public static int keptPerUnit(int nv, double sparsity) {
        if (!(sparsity >= 0.0 && sparsity <= 1.0)) {
            throw new IllegalArgumentException("sparsity must be in [0, 1], got " + sparsity);
        }
        return nv - (int) Math.round(sparsity * nv);
    }

    /**
     * Per-hidden-unit ranking: every hidden unit keeps exactly {@link #keptPerUnit} of its nv
     * incoming weights, those of largest |W| among its current survivors (ties: lower visible index
     * pruned first). The overall sparsity is therefore round(s·nv)/nv, which can differ from s by
     * less than 1/(2nv). A unit with fewer survivors than its share is an error (no revival).
     */
    public static byte[] perUnitMagnitude(double[] trainedW, byte[] currentMask, int nv, int nh, double sparsity) {
        if (trainedW.length != (long) nv * nh || currentMask.length != trainedW.length) {
            throw new IllegalArgumentException("w and mask must have nv*nh = " + nv + "*" + nh + " entries");
        }
        int keep = keptPerUnit(nv, sparsity);
        byte[] m = currentMask.clone();
        double[] column = new double[nv];
        byte[] colMask = new byte[nv];
        for (int mu = 0; mu < nh; mu++) {
            int survivors = 0;
            for (int i = 0; i < nv; i++) {
                column[i] = trainedW[i * nh + mu];
                colMask[i] = currentMask[i * nh + mu];
                survivors += colMask[i];
            }
            if (survivors < keep) {
                throw new IllegalArgumentException("hidden unit " + mu + " has " + survivors + " connections, fewer than the "
                        + keep + " it should keep at sparsity " + sparsity + "; pruning never revives connections");
            }
            // The column's own magnitude pruning to (nv − keep) zeros out of nv.
            byte[] pruned = Masks.magnitude(column, colMask, (double) (nv - keep) / nv);
            if (Masks.countZeros(pruned) != nv - keep) {
                throw new IllegalStateException("per-unit rounding: unit " + mu + " got " + (nv - Masks.countZeros(pruned))
                        + " connections, expected " + keep);
            }
            for (int i = 0; i < nv; i++) {
                m[i * nh + mu] = pruned[i];
            }
        }
        return m;
    }

    /**
     * Rewind one masked weight group: the surviving weights are exactly the initial ones (bit for
     * bit) and zero elsewhere. The mask must not revive any connection the trained group had
     * pruned. Works for late rewinding too: pass the snapshot at step k as {@code initialW}.
     * {@code width} only serves the error message (row and column of a revived connection).
     */
    public static double[] rewindWeights(byte[] trainedMask, double[] initialW, byte[] mask, int width) {
        if (initialW.length != trainedMask.length) {
            throw new IllegalArgumentException("initial weights have length " + initialW.length + " but the trained group has "
                    + trainedMask.length);
        }
        if (mask.length != trainedMask.length) {
            throw new IllegalArgumentException("mask has length " + mask.length + ", expected " + trainedMask.length);
        }
        double[] w = new double[mask.length];
        for (int k = 0; k < mask.length; k++) {
            if (mask[k] != 0 && trainedMask[k] == 0) {
                throw new IllegalArgumentException("mask keeps connection " + k + " (row " + k / width + ", column "
                        + k % width + ") which the trained model had pruned");
            }
            w[k] = mask[k] != 0 ? initialW[k] : 0.0;
        }
        return w;
    }

    /** Fraction of the survivors removed per round so that n rounds reach s: q = 1 − (1 − s)^{1/n}. */
    public static double perRoundFraction(double sparsity, int rounds) {
        if (!(sparsity >= 0.0 && sparsity <= 1.0) || rounds < 1) {
            throw new IllegalArgumentException("need sparsity in [0, 1] and rounds >= 1, got " + sparsity + ", " + rounds);
        }
        return 1.0 - Math.pow(1.0 - sparsity, 1.0 / rounds);
    }

    /**
     * Cumulative target sparsity after each of the n rounds: s_r = 1 − (1 − q)^r = 1 − (1 − s)^{r/n},
     * with the last one exactly s. Use as the target of {@link #globalMagnitude} or
     * {@link #perUnitMagnitude} in round r (1-based index r − 1).
     */
    public static double[] roundTargets(double sparsity, int rounds) {
        double q = perRoundFraction(sparsity, rounds);
        double[] t = new double[rounds];
        for (int r = 1; r <= rounds; r++) {
            t[r - 1] = r == rounds ? sparsity : 1.0 - Math.pow(1.0 - q, r);
        }
        return t;
    }

    /** Round r (1-based) of the global iterative schedule: prune the survivors of {@code currentMask} by |W| to s_r. */
    public static byte[] iterativeRound(double[] trainedW, byte[] currentMask, double sparsity, int rounds, int round) {
        if (round < 1 || round > rounds) {
            throw new IllegalArgumentException("round must be in 1.." + rounds + ", got " + round);
        }
        return globalMagnitude(trainedW, currentMask, roundTargets(sparsity, rounds)[round - 1]);
    }

    /** Jaccard overlap |A ∩ B| / |A ∪ B| of the kept connections of two masks (protocol §8 stability); 1 when both are empty. */
    public static double jaccard(byte[] a, byte[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("masks differ in length: " + a.length + " vs " + b.length);
        }
        long both = 0, either = 0;
        for (int k = 0; k < a.length; k++) {
            both += a[k] & b[k];
            either += a[k] | b[k];
        }
        return either == 0 ? 1.0 : (double) both / either;
    }

    /** Kept connections per hidden unit (for checks and reports). */
    public static int[] keptPerHiddenUnit(byte[] mask, int nv, int nh) {
        int[] c = new int[nh];
        for (int i = 0; i < nv; i++) {
            for (int mu = 0; mu < nh; mu++) {
                c[mu] += mask[i * nh + mu];
            }
        }
        return c;
    }

    public static boolean isSubset(byte[] inner, byte[] outer) {
        for (int k = 0; k < inner.length; k++) {
            if (inner[k] != 0 && outer[k] == 0) {
                return false;
            }
        }
        return true;
    }
}
