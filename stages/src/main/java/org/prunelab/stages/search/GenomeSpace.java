package org.prunelab.stages.search;

import java.util.List;
import java.util.SplittableRandom;
import org.prunelab.stages.config.ConfigException;

/**
 * The genomes a search may visit: which generators, and the range of every gene. It samples
 * genomes and {@link #repair}s any genome into range, so every operator ends with a valid genome:
 * counts and probabilities clamped, probabilities on a grid of 0.01, Watts–Strogatz k even with
 * 2 ≤ k < n (the lattice needs k/2 neighbours a side and fewer than n), Barabási–Albert 1 ≤ m < n.
 */
public record GenomeSpace(List<GraphGenerator> generators, int minNodes, int maxNodes, int minDepth, int maxDepth,
                          double minErP, double maxErP, int maxWsK, int maxBaM) {
    public GenomeSpace {
        generators = List.copyOf(generators);
        if (generators.isEmpty()) {
            throw new ConfigException("search.generators: name at least one generator");
        }
        if (minNodes < 3 || minNodes > maxNodes) {
            throw new ConfigException("search.min_nodes/max_nodes: need 3 <= min_nodes <= max_nodes, got " + minNodes
                    + " and " + maxNodes);
        }
        if (minDepth < 1 || minDepth > maxDepth) {
            throw new ConfigException("search.min_depth/max_depth: need 1 <= min_depth <= max_depth, got " + minDepth
                    + " and " + maxDepth);
        }
        if (!(minErP > 0 && minErP <= maxErP && maxErP <= 1)) {
            throw new ConfigException("search.min_er_p/max_er_p: need 0 < min_er_p <= max_er_p <= 1, got " + minErP
                    + " and " + maxErP);
        }
        if (grid(minErP) != minErP || grid(maxErP) != maxErP) {
            throw new ConfigException("search.min_er_p/max_er_p must be multiples of 0.01 (the probability grid), got "
                    + minErP + " and " + maxErP);
        }
        if (maxWsK < 2 || maxBaM < 1) {
            throw new ConfigException("search.max_ws_k must be >= 2 and search.max_ba_m >= 1, got " + maxWsK + " and "
                    + maxBaM);
        }
    }

    /** A uniform draw from the space: generator, then every gene uniformly in its (n-dependent) range. */
    public Genome sample(SplittableRandom rng) {
        GraphGenerator g = generators.get(rng.nextInt(generators.size()));
        int n = between(rng, minNodes, maxNodes);
        int depth = between(rng, minDepth, maxDepth);
        double erP = grid(minErP + rng.nextDouble() * (maxErP - minErP));
        int k = 2 * between(rng, 1, wsKLimit(n) / 2);
        double wsP = grid(rng.nextDouble());
        int m = between(rng, 1, baMLimit(n));
        return repair(new Genome(g, n, depth, erP, k, wsP, m));
    }

    /** The nearest valid genome (a valid genome is returned unchanged). */
    public Genome repair(Genome g) {
        GraphGenerator generator = generators.contains(g.generator()) ? g.generator() : generators.get(0);
        int n = clamp(g.nodes(), minNodes, maxNodes);
        int depth = clamp(g.depth(), minDepth, maxDepth);
        double erP = Math.min(maxErP, Math.max(minErP, grid(g.erP())));
        int k = clamp(2 * (g.wsK() / 2), 2, wsKLimit(n));
        double wsP = Math.min(1.0, Math.max(0.0, grid(g.wsP())));
        int m = clamp(g.baM(), 1, baMLimit(n));
        return new Genome(generator, n, depth, erP, k, wsP, m);
    }

    public boolean isValid(Genome g) {
        return g.equals(repair(g)) && generators.contains(g.generator());
    }

    /** Largest even k below n, and not above max_ws_k. */
    int wsKLimit(int n) {
        int below = 2 * ((n - 1) / 2);
        return Math.max(2, Math.min(2 * (maxWsK / 2), below));
    }

    int baMLimit(int n) {
        return Math.max(1, Math.min(maxBaM, n - 1));
    }

    static double grid(double p) {
        return Math.round(p * 100) / 100.0;
    }

    static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    static int between(SplittableRandom rng, int lo, int hi) {
        return lo + rng.nextInt(hi - lo + 1);
    }
}
