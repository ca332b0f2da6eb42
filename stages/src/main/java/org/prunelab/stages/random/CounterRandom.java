package org.prunelab.stages.random;

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
 * it (row·width + unit). Four neighbouring draws share one Philox block: block {@code index >>> 2}
 * of the stream gives four 32-bit words, and word {@code index & 3} is the draw's uniform, a multiple
 * of 2⁻³². Why 32 bits and not 53: the uniforms only feed Bernoulli comparisons u &lt; p, where
 * P(u &lt; p) = ⌈p·2³²⌉·2⁻³² differs from p by less than 2⁻³² ≈ 2.3e-10 (far below anything a training
 * resolves), and four draws per block instead of two halve the generator's cost, which is most of the
 * fused draw's cost besides the exp.
 */
public final class CounterRandom {
    // The round multipliers and Weyl key increments of Philox4x32 (the paper, section 5.2).
    private static final long M0 = 0xD2511F53L, M1 = 0xCD9E8D57L;
    private static final int W0 = 0x9E3779B9, W1 = 0xBB67AE85;
    private static final int ROUNDS = 10;
    private static final double TWO_POW_MINUS_32 = 0x1.0p-32;

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
     * Blocks {@code first} and {@code first + 1} of one stream into {@code out[0..3]} and {@code out[4..7]}:
     * exactly {@link #blockOf} twice, with the two rounds' multiplications interleaved so that the
     * CPU overlaps the two dependency chains (a Philox round waits on its multiplications; one block
     * alone leaves the multiplier idle most of the time).
     */
    public static void twoBlocksOf(long key, long stream, long first, int[] out) {
        long second = first + 1;
        int a0 = (int) first, a1 = (int) (first >>> 32), b0 = (int) second, b1 = (int) (second >>> 32);
        int a2 = (int) stream, a3 = (int) (stream >>> 32), b2 = a2, b3 = a3;
        int k0 = (int) key, k1 = (int) (key >>> 32);
        for (int r = 0; r < ROUNDS; r++) {
            if (r > 0) {
                k0 += W0;
                k1 += W1;
            }
            long pa0 = M0 * (a0 & 0xFFFFFFFFL), pb0 = M0 * (b0 & 0xFFFFFFFFL);
            long pa1 = M1 * (a2 & 0xFFFFFFFFL), pb1 = M1 * (b2 & 0xFFFFFFFFL);
            int na0 = (int) (pa1 >>> 32) ^ a1 ^ k0, nb0 = (int) (pb1 >>> 32) ^ b1 ^ k0;
            int na2 = (int) (pa0 >>> 32) ^ a3 ^ k1, nb2 = (int) (pb0 >>> 32) ^ b3 ^ k1;
            a1 = (int) pa1;
            b1 = (int) pb1;
            a3 = (int) pa0;
            b3 = (int) pb0;
            a0 = na0;
            b0 = nb0;
            a2 = na2;
            b2 = nb2;
        }
        out[0] = a0;
        out[1] = a1;
        out[2] = a2;
        out[3] = a3;
        out[4] = b0;
        out[5] = b1;
        out[6] = b2;
        out[7] = b3;
    }

    /**
     * The uniform in [0, 1) of draw {@code index} of {@code stream} under {@code key}: word
     * {@code index & 3} of block {@code index >>> 2}, scaled by 2⁻³².
     */
    public static double uniform(long key, long stream, long index) {
        int[] w = new int[4];
        blockOf(key, stream, index >>> 2, w);
        return toUnit(w[(int) (index & 3)]);
    }

    /** Block {@code block} of {@code stream}: counter (block low, block high, stream low, stream high), key (key low, key high). */
    public static void blockOf(long key, long stream, long block, int[] out) {
        block((int) block, (int) (block >>> 32), (int) stream, (int) (stream >>> 32), (int) key, (int) (key >>> 32), out);
    }

    /** An unsigned 32-bit word as a multiple of 2⁻³² in [0, 1). */
    public static double toUnit(int word) {
        return (word & 0xFFFFFFFFL) * TWO_POW_MINUS_32;
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
