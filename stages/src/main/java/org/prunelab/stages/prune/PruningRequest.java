package org.prunelab.stages.prune;

import java.util.SplittableRandom;

/**
 * What one pruning call asks for.
 *
 * @param target   how much to prune: {@link Sparsity} (a fraction of zeros to reach), {@link Rate}
 *                 (a fraction of the remaining taking-part weights to remove in this step) or {@link Count}
 *                 (exactly that many of them: the authors' "absolute" schedule)
 * @param included per group, whether it takes part (null = all groups)
 * @param rng      the random stream of random rules (unused by the others; may then be null)
 */
public record PruningRequest(Target target, boolean[] included, SplittableRandom rng) {
    /** How much a call prunes. */
    public sealed interface Target permits Sparsity, Rate, Count {
    }

    /**
     * Reach this fraction of zeros. Exact-count rules count over the taking-part groups; percentile
     * rules read it as the compression of all groups (the MLP spec's target).
     */
    public record Sparsity(double value) implements Target {
        public Sparsity {
            if (!(value >= 0.0 && value <= 1.0)) {
                throw new IllegalArgumentException("target sparsity must be in [0, 1], got " + value);
            }
        }
    }

    /** Remove this fraction of the remaining taking-part weights (one step of an iterative schedule). */
    public record Rate(double value) implements Target {
        public Rate {
            if (!(value >= 0.0 && value <= 1.0)) {
                throw new IllegalArgumentException("rate must be in [0, 1], got " + value);
            }
        }
    }

    /**
     * Remove exactly this many of the remaining taking-part weights (all of them if fewer remain), the
     * lowest saliencies first, ties by layer and then index (one step of a fixed-count schedule).
     */
    public record Count(long value) implements Target {
        public Count {
            if (value < 0) {
                throw new IllegalArgumentException("count must be >= 0, got " + value);
            }
        }
    }

    public static PruningRequest toSparsity(double sparsity, SplittableRandom rng) {
        return new PruningRequest(new Sparsity(sparsity), null, rng);
    }

    /** Whether group l takes part. */
    public boolean includes(int l) {
        return included == null || included[l];
    }

    /** The taking-part flags spelled out for {@code groups} groups. */
    public boolean[] includedFlags(int groups) {
        if (included != null && included.length != groups) {
            throw new IllegalArgumentException("included has " + included.length + " flags for " + groups + " groups");
        }
        boolean[] flags = new boolean[groups];
        for (int l = 0; l < groups; l++) {
            flags[l] = includes(l);
        }
        return flags;
    }
}
