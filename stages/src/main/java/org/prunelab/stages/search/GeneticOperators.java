package org.prunelab.stages.search;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.prunelab.stages.config.ConfigException;

/**
 * Mutation and crossover of genomes inside a {@link GenomeSpace}; every result is repaired into the
 * space, so operators never produce an invalid genome.
 *
 * <ul>
 *   <li>mutation: with probability {@code switchRate} the generator is switched to another allowed one
 *       (its dormant genes wake up); otherwise one active gene is perturbed: the vertex count by up to
 *       ±{@code nodeStep}, the depth budget by ±1, Watts–Strogatz k by ±2, Barabási–Albert m by ±1, a
 *       probability by up to ±{@code probabilityStep};</li>
 *   <li>crossover: uniform — the generator and every gene come from either parent with even odds.</li>
 * </ul>
 */
public final class GeneticOperators {
    private final GenomeSpace space;
    private final double switchRate;
    private final int nodeStep;
    private final double probabilityStep;

    public GeneticOperators(GenomeSpace space, double switchRate, int nodeStep, double probabilityStep) {
        if (!(switchRate >= 0 && switchRate <= 1) || nodeStep < 1 || !(probabilityStep > 0 && probabilityStep <= 1)) {
            throw new ConfigException("search.switch_rate must be in [0, 1], search.node_step >= 1 and"
                    + " search.probability_step in (0, 1]; got " + switchRate + ", " + nodeStep + ", " + probabilityStep);
        }
        this.space = space;
        this.switchRate = switchRate;
        this.nodeStep = nodeStep;
        this.probabilityStep = probabilityStep;
    }

    public Genome mutate(Genome g, SplittableRandom rng) {
        List<GraphGenerator> others = new ArrayList<>(space.generators());
        others.remove(g.generator());
        if (!others.isEmpty() && rng.nextDouble() < switchRate) {
            return space.repair(g.withGenerator(others.get(rng.nextInt(others.size()))));
        }
        List<String> genes = new ArrayList<>(List.of("nodes", "depth"));
        switch (g.generator()) {
            case ERDOS_RENYI -> genes.add("er_p");
            case WATTS_STROGATZ -> genes.addAll(List.of("ws_k", "ws_p"));
            case BARABASI_ALBERT -> genes.add("ba_m");
        }
        int sign = rng.nextBoolean() ? 1 : -1;
        Genome m = switch (genes.get(rng.nextInt(genes.size()))) {
            case "nodes" -> new Genome(g.generator(), g.nodes() + sign * (1 + rng.nextInt(nodeStep)), g.depth(), g.erP(),
                    g.wsK(), g.wsP(), g.baM());
            case "depth" -> new Genome(g.generator(), g.nodes(), g.depth() + sign, g.erP(), g.wsK(), g.wsP(), g.baM());
            case "er_p" -> new Genome(g.generator(), g.nodes(), g.depth(), g.erP() + perturbation(rng), g.wsK(), g.wsP(),
                    g.baM());
            case "ws_k" -> new Genome(g.generator(), g.nodes(), g.depth(), g.erP(), g.wsK() + 2 * sign, g.wsP(), g.baM());
            case "ws_p" -> new Genome(g.generator(), g.nodes(), g.depth(), g.erP(), g.wsK(), g.wsP() + perturbation(rng),
                    g.baM());
            default -> new Genome(g.generator(), g.nodes(), g.depth(), g.erP(), g.wsK(), g.wsP(), g.baM() + sign);
        };
        return space.repair(m);
    }

    private double perturbation(SplittableRandom rng) {
        return (2 * rng.nextDouble() - 1) * probabilityStep;
    }

    public Genome crossover(Genome a, Genome b, SplittableRandom rng) {
        return space.repair(new Genome(
                rng.nextBoolean() ? a.generator() : b.generator(),
                rng.nextBoolean() ? a.nodes() : b.nodes(),
                rng.nextBoolean() ? a.depth() : b.depth(),
                rng.nextBoolean() ? a.erP() : b.erP(),
                rng.nextBoolean() ? a.wsK() : b.wsK(),
                rng.nextBoolean() ? a.wsP() : b.wsP(),
                rng.nextBoolean() ? a.baM() : b.baM()));
    }
}
