package org.prunelab.stages.kernel;

import org.prunelab.stages.numeric.Logistic;
import org.prunelab.stages.random.CounterRandom;

/**
 * The elementwise work of a Gibbs step, over rows split between threads by {@link RowSplit}: the
 * logistic sigmoid in place, and the sigmoid fused with a Bernoulli draw from the counter-based
 * generator ({@code runtime.sampling: counter}). Each entry is computed from its own value and, for a
 * draw, from its own counter (row·width + unit of the given stream), so the result does not depend
 * on the thread count or on the split: {@code threads} only changes the speed.
 *
 * <p>Two sigmoids. {@link #sigmoid} is {@link Logistic#of} entry by entry, the function
 * {@code core.StableMath.sigmoid} calls too (Math.exp), so it gives exactly the bits of
 * {@code StableMath.sigmoidInPlace}: the default sequential path, whose results must not move. The
 * counter path ({@link #sample}, {@link #polynomialSigmoid}) uses {@link PolynomialSigmoid}, exp as
 * plain arithmetic, which runs on the Java Vector API when the JVM has it ({@link ElementwisePath})
 * with the same bits as its scalar form; a fused draw is exactly {@code u < PolynomialSigmoid.of(x)}.
 *
 * <p>Keeps no state besides the thread count: one instance may serve several threads.
 */
public final class SigmoidBernoulli {
    /**
     * Rough cost of one entry in the units of {@link RowSplit#MIN_WORK_PER_THREAD} (multiply-adds):
     * an exp is ~20, a quarter of a Philox block ~10, the polynomial sigmoid on vectors ~5. Only decides
     * whether splitting pays.
     */
    private static final long SIGMOID_COST = 20, DRAW_COST = 30, VECTOR_SIGMOID_COST = 5;
    /** Entries per pass of the fused draw: their uniforms (512 bytes) stay in L1 between the two halves. */
    private static final int CHUNK = 64;

    private final int threads;

    public SigmoidBernoulli(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
    }

    /** x[j] = σ(x[j]) for the first rows·width entries. */
    public void sigmoid(double[] x, int rows, int width) {
        checkShape(x, rows, width, "x");
        RowSplit.run(rows, threads, (long) rows * width * SIGMOID_COST, (from, to) -> {
            for (int j = from * width, end = to * width; j < end; j++) {
                x[j] = Logistic.of(x[j]);
            }
        });
    }

    /**
     * From pre-activations {@code pre} (rows·width), the probabilities p = σ(pre)
     * ({@link PolynomialSigmoid}) into {@code probs}
     * (if not null) and the samples 1.0 if u < p else 0.0 into {@code samples}, with u draw
     * row·width + unit of {@code stream} under {@code key} ({@link CounterRandom#uniform}). Any of the
     * three arrays may be the same array (each entry is read before it is written).
     */
    public void sample(double[] pre, int rows, int width, long key, long stream, double[] probs, double[] samples) {
        checkShape(pre, rows, width, "pre");
        checkShape(samples, rows, width, "samples");
        if (probs != null) {
            checkShape(probs, rows, width, "probs");
        }
        RowSplit.run(rows, threads, (long) rows * width * DRAW_COST,
                (from, to) -> sampleRange(pre, from * width, to * width, key, stream, probs, samples));
    }

    /**
     * x[j] = σ(x[j]) by {@link PolynomialSigmoid} (the counter path's sigmoid, vectorised when the
     * Vector API is present), for the first rows·width entries.
     */
    public void polynomialSigmoid(double[] x, int rows, int width) {
        checkShape(x, rows, width, "x");
        RowSplit.run(rows, threads, (long) rows * width * VECTOR_SIGMOID_COST,
                (from, to) -> ElementwisePath.sigmoid(x, from * width, to * width));
    }

    /**
     * Entries [start, end), {@link #CHUNK} at a time: first the chunk's uniforms (one Philox block per
     * four entries 4i .. 4i+3, as {@link CounterRandom#uniform} groups them; two blocks computed
     * interleaved where eight entries are left), then σ and the comparison over the chunk at once,
     * which is what lets the sigmoid run on vectors.
     */
    private static void sampleRange(double[] pre, int start, int end, long key, long stream, double[] probs,
                                    double[] samples) {
        double[] u = new double[CHUNK];
        int[] w = new int[8];
        for (int at = start; at < end; at += CHUNK) {
            int count = Math.min(CHUNK, end - at);
            uniforms(key, stream, at, count, u, w);
            ElementwisePath.sample(pre, at, u, count, probs, samples);
        }
    }

    /** u[q] = the uniform of entry at + q of the stream, for q in [0, count). */
    private static void uniforms(long key, long stream, int at, int count, double[] u, int[] w) {
        int j = at, end = at + count, q = 0;
        if ((j & 3) != 0) { // a chunk that starts inside a block
            CounterRandom.blockOf(key, stream, j >>> 2, w);
            for (; j < end && (j & 3) != 0; j++) {
                u[q++] = CounterRandom.toUnit(w[j & 3]);
            }
        }
        for (; j + 7 < end; j += 8) {
            CounterRandom.twoBlocksOf(key, stream, j >>> 2, w);
            for (int k = 0; k < 8; k++) {
                u[q++] = CounterRandom.toUnit(w[k]);
            }
        }
        for (int loaded = -1; j < end; j++) { // the last (up to 7) entries
            if (j >>> 2 != loaded) {
                loaded = j >>> 2;
                CounterRandom.blockOf(key, stream, loaded, w);
            }
            u[q++] = CounterRandom.toUnit(w[j & 3]);
        }
    }

    private static void checkShape(double[] a, int rows, int width, String name) {
        if (rows < 0 || width < 0 || a.length < (long) rows * width) {
            throw new IllegalArgumentException(name + " needs " + rows + "x" + width + " values, has " + a.length);
        }
    }
}
