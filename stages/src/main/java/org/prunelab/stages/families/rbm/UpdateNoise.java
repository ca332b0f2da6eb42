package org.prunelab.stages.families.rbm;

import java.util.SplittableRandom;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.random.CounterRandom;
import org.prunelab.stages.kernel.Sampling;

/**
 * The random draws of one training update, in one of the two {@link Sampling}s: a
 * {@link SplittableRandom} drawn from in index order ({@code sequential}), or the key and the
 * update's coordinates that address every draw of the counter-based generator ({@code counter}).
 * Both derive from (seed, epoch, batch) alone, which a checkpoint's position restores: a resumed
 * training re-creates exactly the draws an uninterrupted one would have made.
 */
public final class UpdateNoise {
    private final SplittableRandom rng;
    private final long key;
    private final int epoch, batch;

    private UpdateNoise(SplittableRandom rng, long key, int epoch, int batch) {
        this.rng = rng;
        this.key = key;
        this.epoch = epoch;
        this.batch = batch;
    }

    /** Draws taken one after another from {@code rng} (what RBM training has always done). */
    public static UpdateNoise sequential(SplittableRandom rng) {
        if (rng == null) {
            throw new IllegalArgumentException("sequential sampling needs a random stream, got null");
        }
        return new UpdateNoise(rng, 0L, 0, 0);
    }

    /** Counter-based draws of update (epoch, batch) under {@code key}; the coordinates are checked here. */
    public static UpdateNoise counter(long key, int epoch, int batch) {
        CounterRandom.stream(epoch, batch, 0); // refuses coordinates that do not fit the counter
        return new UpdateNoise(null, key, epoch, batch);
    }

    /**
     * The draws of update (epoch, batch) of a training with {@code seed}: stream (seed, epoch, batch)
     * for sequential sampling (the stream the training loop has always used), key {@code seed} for
     * counter sampling.
     */
    public static UpdateNoise of(Sampling sampling, long seed, int epoch, int batch) {
        return sampling == Sampling.COUNTER ? counter(seed, epoch, batch)
                : sequential(Seeds.stream(seed, epoch, batch));
    }

    public boolean isCounter() {
        return rng == null;
    }

    /** The sequential stream; only for {@code sequential}. */
    SplittableRandom rng() {
        if (rng == null) {
            throw new IllegalStateException("counter sampling has no sequential stream");
        }
        return rng;
    }

    long key() {
        return key;
    }

    /** The counter stream of Gibbs {@code phase} of this update ({@link CounterRandom#stream}). */
    long stream(int phase) {
        return CounterRandom.stream(epoch, batch, phase);
    }
}
