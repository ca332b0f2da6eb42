package org.prunelab.stages.search;

import java.util.List;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;

/**
 * The {@code genome.*} keys: how a genome reaches the stages that build its network. The search
 * driver writes a candidate's active genes into these keys; a stage reads them back with
 * {@link #read}. Defaults are a plain, valid genome so that a single candidate also runs with
 * {@code prunelab run}.
 */
public final class GenomeKeys {
    private GenomeKeys() {
    }

    public static final ConfigKey<String> GENERATOR = ConfigKey.choice("genome.generator", "erdos-renyi",
            GraphGenerator.configNames(), "random-graph model the network is wired from");
    public static final ConfigKey<Integer> NODES = ConfigKey.integer("genome.nodes", 20, 3, 10_000,
            "vertices of the graph (each a group of genome-width units, or a cell)");
    public static final ConfigKey<Integer> DEPTH = ConfigKey.integer("genome.depth", 4, 1, 1_000,
            "depth budget: the graph's layers are merged into at most this many network layers");
    public static final ConfigKey<Double> ER_P = ConfigKey.real("genome.er_p", 0.2, 0.0, 1.0,
            "Erdős–Rényi edge probability");
    public static final ConfigKey<Integer> WS_K = ConfigKey.integer("genome.ws_k", 4, 2, 10_000,
            "Watts–Strogatz ring neighbours (even; odd values act as the next lower even number)");
    public static final ConfigKey<Double> WS_P = ConfigKey.real("genome.ws_p", 0.5, 0.0, 1.0,
            "Watts–Strogatz rewiring probability");
    public static final ConfigKey<Integer> BA_M = ConfigKey.integer("genome.ba_m", 2, 1, 10_000,
            "Barabási–Albert edges per new vertex");

    public static List<ConfigKey<?>> all() {
        return List.of(GENERATOR, NODES, DEPTH, ER_P, WS_K, WS_P, BA_M);
    }

    public static Genome read(StageConfig c) {
        return new Genome(GraphGenerator.parse(c.get(GENERATOR)), c.get(NODES), c.get(DEPTH), c.get(ER_P), c.get(WS_K),
                c.get(WS_P), c.get(BA_M));
    }
}
