package org.prunelab.stages;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Derives independent random streams from (seed, labels...). Deriving instead of carrying RNG
 * state means a resumed stage re-creates exactly the stream an uninterrupted run would have used,
 * so resume is bit-exact without serialising any generator.
 */
public final class Seeds {
    private Seeds() {
    }

    /** A seed mixed from a base seed and a text label (e.g. a step name). */
    public static long derive(long seed, String label) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (byte b : label.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xFF));
        }
        return h;
    }

    /** A seed mixed from a base seed and integer coordinates (e.g. epoch, batch). */
    public static long derive(long seed, long... coordinates) {
        long h = mix(seed ^ 0xD1B54A32D192ED03L);
        for (long c : coordinates) {
            h = mix(h ^ mix(c + 0x632BE59BD9B4E019L));
        }
        return h;
    }

    public static SplittableRandom stream(long seed, long... coordinates) {
        return new SplittableRandom(derive(seed, coordinates));
    }

    /**
     * A uniform random order of 0..n−1 (Fisher–Yates) drawn from {@code rng}: the data order of an
     * epoch, or a seeded split. Kept here, beside the streams, so every stage shuffles the same way.
     */
    public static int[] permutation(int n, SplittableRandom rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** SplitMix64 finaliser: a bijective avalanche mix. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
