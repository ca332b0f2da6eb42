package org.prunelab.stages.core;

/**
 * A counter-based generator: Philox4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel random numbers:
 * as easy as 1, 2, 3", SC 2011), written from the paper's definition. It is a pure function of a
 * 64-bit key and a 128-bit counter, so any draw can be computed on its own, by any thread, in any
 * order, and gives the same bits: what lets the Bernoulli draws of a training update split over
 * threads while staying bit-identical (a {@link java.util.SplittableRandom} stream has to be consumed
 * in index order by one thread). Philox4x32-10 passes the BigCrush battery with a wide margin (the
 * paper's Table 2) and is the generator of cuRAND, Random123, TensorFlow and JAX's predecessors.
 *
 * <p>Draw addressing, as the trainer uses it: {@code key} is the training's seed, {@code stream}
 * names one batch of draws (update and Gibbs phase, see {@link #stream}), {@code index} one draw in
 * it (row·width + unit). Two neighbouring draws share one Philox block: block {@code index >>> 1}
 * of the stream gives four 32-bit words, words 0–1 make the uniform of the even index and words 2–3
 * that of the odd one, so the cost is one block per two draws.
 */
public final class CounterRandom {
    // The round multipliers and Weyl key increments of Philox4x32 (the paper, section 5.2).
    private static final long M0 = 0xD2511F53L, M1 = 0xCD9E8D57L;
    private static final int W0 = 0x9E3779B9, W1 = 0xBB67AE85;
    private static final int ROUNDS = 10;
    private static final double TWO_POW_MINUS_53 = 0x1.0p-53;

    /** Widths of the fields {@link #stream} packs: epoch 24 bits, batch 24 bits, phase 16 bits. */
    static final int EPOCH_BITS = 24, BATCH_BITS = 24, PHASE_BITS = 16;

    private CounterRandom() {
    }

    /**
     * The Philox4x32-10 block function: {@code out} (4 words) = the bijection keyed by (k0, k1)
     * applied to the counter (c0, c1, c2, c3). Words are unsigned 32-bit values held in ints.
     */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        for (int r = 0; r < ROUNDS; r++) {
            if (r > 0) { // the key schedule: a Weyl sequence, bumped before every round but the first
                k0 += W0;
                k1 += W1;
            }
            long p0 = M0 * (c0 & 0xFFFFFFFFL);
            long p1 = M1 * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            c1 = (int) p1;
            c3 = (int) p0;
            c0 = n0;
            c2 = n2;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    /**
     * The uniform in [0, 1) of draw {@code index} of {@code stream} under {@code key}: 53 bits from
     * two words of block (index >>> 1), scaled by 2⁻⁵³ (every value a multiple of 2⁻⁵³, as
     * SplittableRandom.nextDouble gives).
     */
    public static double uniform(long key, long stream, long index) {
        int[] w = new int[4];
        blockOf(key, stream, index >>> 1, w);
        return (index & 1) == 0 ? toUnit(w[0], w[1]) : toUnit(w[2], w[3]);
    }

    /** Block {@code pair} of {@code stream}: counter (pair low, pair high, stream low, stream high), key (key low, key high). */
    public static void blockOf(long key, long stream, long pair, int[] out) {
        block((int) pair, (int) (pair >>> 32), (int) stream, (int) (stream >>> 32), (int) key, (int) (key >>> 32), out);
    }

    /** 32 high bits of {@code hi} and the top 21 of {@code lo}, as a multiple of 2⁻⁵³ in [0, 1). */
    public static double toUnit(int hi, int lo) {
        long bits = ((hi & 0xFFFFFFFFL) << 21) | ((lo & 0xFFFFFFFFL) >>> 11);
        return bits * TWO_POW_MINUS_53;
    }

    /**
     * The stream of one Gibbs phase of one update: epoch, batch and phase packed into distinct bit
     * fields, so two different (epoch, batch, phase) never share a stream. Refuses values that do not
     * fit rather than let two streams collide.
     *
     * @param phase which draw of the update: 2·step for the hidden draw of Gibbs step {@code step},
     *              2·step + 1 for its visible draw
     */
    public static long stream(int epoch, int batch, int phase) {
        check("epoch", epoch, EPOCH_BITS);
        check("batch", batch, BATCH_BITS);
        check("phase", phase, PHASE_BITS);
        return ((long) epoch << (BATCH_BITS + PHASE_BITS)) | ((long) batch << PHASE_BITS) | phase;
    }

    private static void check(String what, int value, int bits) {
        if (value < 0 || value >= (1 << bits)) {
            throw new IllegalArgumentException("counter sampling: " + what + " " + value + " is outside 0.."
                    + ((1 << bits) - 1) + " (the field of the Philox counter it is packed into)");
        }
    }
}
