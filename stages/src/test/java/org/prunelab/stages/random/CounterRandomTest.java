package org.prunelab.stages.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Philox4x32-10 against the known-answer vectors that Random123 publishes (its file
 * {@code examples/kat_vectors}, lines "philox4x32 10": counter, key, expected output), and the
 * uniforms it gives: in [0, 1), different for different keys, streams and indices, with the mean,
 * variance and neighbour correlation of a uniform within tight bounds.
 */
class CounterRandomTest {
    @Test
    void philoxMatchesRandom123KnownAnswers() {
        check(new int[] {0, 0, 0, 0}, new int[] {0, 0}, new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
        check(new int[] {-1, -1, -1, -1}, new int[] {-1, -1},
                new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd});
        check(new int[] {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, new int[] {0xa4093822, 0x299f31d0},
                new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
    }

    private static void check(int[] ctr, int[] key, int[] expected) {
        int[] out = new int[4];
        CounterRandom.block(ctr[0], ctr[1], ctr[2], ctr[3], key[0], key[1], out);
        assertArrayEquals(expected, out, () -> String.format("got %08x %08x %08x %08x", out[0], out[1], out[2], out[3]));
    }

    @Test
    void uniformsAreTheWordsOfTheirBlockInOrder() {
        long key = 0x0123456789ABCDEFL, stream = CounterRandom.stream(3, 7, 2);
        int[] w = new int[4];
        CounterRandom.block(5, 0, (int) stream, (int) (stream >>> 32), (int) key, (int) (key >>> 32), w);
        for (int q = 0; q < 4; q++) {
            assertEquals((w[q] & 0xFFFFFFFFL) * 0x1.0p-32, CounterRandom.uniform(key, stream, 20 + q), "word " + q);
        }
        assertEquals(0.0, CounterRandom.toUnit(0));
        assertEquals(0.5, CounterRandom.toUnit(0x80000000), "words are unsigned");
        assertEquals(1.0 - 0x1.0p-32, CounterRandom.toUnit(-1), "the largest value is below 1");
    }

    @Test
    void twoInterleavedBlocksAreTheTwoBlocks() {
        int[] two = new int[8], a = new int[4], b = new int[4];
        for (long pair : new long[] {0L, 7L, 0xFFFFFFFFL, 1L << 40}) { // 0xFFFFFFFF + 1 carries into the high word
            long key = 0x9E3779B97F4A7C15L * (pair + 1), stream = CounterRandom.stream(5, 9, 4);
            CounterRandom.twoBlocksOf(key, stream, pair, two);
            CounterRandom.blockOf(key, stream, pair, a);
            CounterRandom.blockOf(key, stream, pair + 1, b);
            assertArrayEquals(a, java.util.Arrays.copyOfRange(two, 0, 4), "first block of pair " + pair);
            assertArrayEquals(b, java.util.Arrays.copyOfRange(two, 4, 8), "second block of pair " + pair);
        }
    }

    @Test
    void differentKeysStreamsAndIndicesGiveDifferentDraws() {
        Set<Double> seen = new HashSet<>();
        int draws = 0;
        for (long key : new long[] {0L, 1L, 1L << 32, -7L}) {
            for (long stream : new long[] {CounterRandom.stream(0, 0, 0), CounterRandom.stream(0, 0, 1),
                    CounterRandom.stream(0, 1, 0), CounterRandom.stream(1, 0, 0)}) {
                for (long index = 0; index < 1000; index++) {
                    seen.add(CounterRandom.uniform(key, stream, index));
                    draws++;
                }
            }
        }
        // 16,000 multiples of 2^-32: independent uniforms repeat ~0.03 times on average (birthday bound);
        // a generator that ignored the key, stream or index would repeat thousands of times.
        assertTrue(draws - seen.size() <= 2, (draws - seen.size()) + " draws repeated across keys, streams or indices");
        assertNotEquals(CounterRandom.uniform(1L, 0L, 0L), CounterRandom.uniform(2L, 0L, 0L));
    }

    @Test
    void streamFieldsAreDistinctAndCheckedForRange() {
        assertNotEquals(CounterRandom.stream(1, 0, 0), CounterRandom.stream(0, 1, 0));
        assertNotEquals(CounterRandom.stream(0, 1, 0), CounterRandom.stream(0, 0, 1));
        long largest = CounterRandom.stream((1 << 24) - 1, (1 << 24) - 1, (1 << 16) - 1);
        assertEquals(-1L, largest, "the three fields fill the 64 bits exactly");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CounterRandom.stream(0, 0, 1 << 16));
        assertTrue(e.getMessage().contains("phase") && e.getMessage().contains("65536"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CounterRandom.stream(-1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> CounterRandom.stream(0, 1 << 24, 0));
    }

    @Test
    void meanVarianceAndNeighbourCorrelationAreThoseOfAUniform() {
        int n = 1 << 20;
        long key = 42L, stream = CounterRandom.stream(2, 5, 1);
        double sum = 0.0, sumSq = 0.0, sumProduct = 0.0, previous = CounterRandom.uniform(key, stream, 0);
        int[] deciles = new int[10];
        for (int i = 0; i < n; i++) {
            double u = CounterRandom.uniform(key, stream, i);
            if (!(u >= 0.0 && u < 1.0)) {
                fail("uniform " + u + " at " + i + " is outside [0, 1)");
            }
            sum += u;
            sumSq += u * u;
            if (i > 0) {
                sumProduct += (u - 0.5) * (previous - 0.5);
            }
            previous = u;
            deciles[(int) (u * 10)]++;
        }
        double mean = sum / n, variance = sumSq / n - mean * mean, correlation = sumProduct / (n - 1) * 12.0;
        // Standard errors at n = 2^20: mean 2.8e-4, variance 8.3e-5, correlation 9.8e-4; bounds at 5 of them.
        assertEquals(0.5, mean, 1.4e-3, "mean");
        assertEquals(1.0 / 12.0, variance, 4.2e-4, "variance");
        assertEquals(0.0, correlation, 4.9e-3, "lag-1 correlation (words of one block and across blocks)");
        double chiSquare = 0.0;
        for (int d : deciles) {
            chiSquare += (d - n / 10.0) * (d - n / 10.0) / (n / 10.0);
        }
        assertTrue(chiSquare < 27.9, "decile chi-square " + chiSquare + " (9 degrees of freedom, p = 0.001 at 27.9)");
    }
}
