package org.prunelab.pipeline.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.search.GeneticOperators;
import org.prunelab.stages.search.GenomeSpace;
import org.prunelab.stages.search.GraphGenerator;

/**
 * The {@code search.*} section of a config: the genome space, the operators, the generational
 * schedule and the predictor. These keys say how candidates are chosen, not what a candidate
 * computes, so they are taken out of the config before a candidate's pipeline is planned (its steps'
 * identities depend only on its genome, seed and training keys).
 */
public record SearchSettings(GenomeSpace space, GeneticOperators operators, int seeds, int population, int generations,
                             int offspring, int trainTop, int holdout, int elite, int tournament, double crossoverRate,
                             String predictor, List<String> arms) {
    static final String PREFIX = "search.";
    public static final String ARM_PREDICTOR = "predictor";
    public static final String ARM_RANDOM = "random";

    static final ConfigKey<Integer> SEEDS = ConfigKey.integer("search.seeds", 3, 1, 1_000,
            "independent searches per arm (search seeds 1..N; the candidates' training seed stays 'seed')");
    static final ConfigKey<Integer> POPULATION = ConfigKey.integer("search.population", 8, 2, 100_000,
            "population size; generation 0 trains this many sampled genomes");
    static final ConfigKey<Integer> GENERATIONS = ConfigKey.integer("search.generations", 4, 0, 100_000,
            "generations after the initial population");
    static final ConfigKey<Integer> OFFSPRING = ConfigKey.integer("search.offspring", 16, 1, 1_000_000,
            "offspring proposed per generation (scored by the predictor; the random arm draws from them)");
    static final ConfigKey<Integer> TRAIN_TOP = ConfigKey.integer("search.train_top", 3, 1, 1_000_000,
            "offspring with the best predicted accuracy that are fully trained per generation");
    static final ConfigKey<Integer> HOLDOUT = ConfigKey.integer("search.holdout", 2, 0, 1_000_000,
            "further offspring drawn at random and trained anyway: the predictor's held-out check");
    static final ConfigKey<Integer> ELITE = ConfigKey.integer("search.elite", 2, 0, 100_000,
            "fittest individuals that survive unchanged into the next population");
    static final ConfigKey<Integer> TOURNAMENT = ConfigKey.integer("search.tournament", 3, 1, 100_000,
            "tournament size of parent selection");
    static final ConfigKey<Double> CROSSOVER = ConfigKey.real("search.crossover_rate", 0.7, 0.0, 1.0,
            "probability that a child is the crossover of two parents (else a copy of one), before mutation");
    static final ConfigKey<Double> SWITCH = ConfigKey.real("search.switch_rate", 0.15, 0.0, 1.0,
            "probability that a mutation switches the generator instead of perturbing a gene");
    static final ConfigKey<Integer> NODE_STEP = ConfigKey.integer("search.node_step", 4, 1, 100_000,
            "largest change of the vertex count in one mutation");
    static final ConfigKey<Double> PROBABILITY_STEP = ConfigKey.real("search.probability_step", 0.1, 0.01, 1.0,
            "largest change of a probability gene in one mutation");
    static final ConfigKey<String> GENERATORS = ConfigKey.string("search.generators",
            "erdos-renyi,watts-strogatz,barabasi-albert", "generators a genome may name (comma-separated)");
    static final ConfigKey<Integer> MIN_NODES = ConfigKey.integer("search.min_nodes", 8, 3, 100_000, "fewest vertices");
    static final ConfigKey<Integer> MAX_NODES = ConfigKey.integer("search.max_nodes", 40, 3, 100_000, "most vertices");
    static final ConfigKey<Integer> MIN_DEPTH = ConfigKey.integer("search.min_depth", 2, 1, 1_000, "smallest depth budget");
    static final ConfigKey<Integer> MAX_DEPTH = ConfigKey.integer("search.max_depth", 8, 1, 1_000, "largest depth budget");
    static final ConfigKey<Double> MIN_ER_P = ConfigKey.real("search.min_er_p", 0.05, 0.01, 1.0,
            "smallest Erdős–Rényi p (a multiple of 0.01)");
    static final ConfigKey<Double> MAX_ER_P = ConfigKey.real("search.max_er_p", 0.5, 0.01, 1.0,
            "largest Erdős–Rényi p (a multiple of 0.01)");
    static final ConfigKey<Integer> MAX_WS_K = ConfigKey.integer("search.max_ws_k", 8, 2, 100_000, "largest Watts–Strogatz k");
    static final ConfigKey<Integer> MAX_BA_M = ConfigKey.integer("search.max_ba_m", 4, 1, 100_000,
            "largest Barabási–Albert m");
    static final ConfigKey<String> PREDICTOR = ConfigKey.choice("search.predictor", "bayesian-ridge",
            List.of("bayesian-ridge", "random-forest"), "regressor from graph features to validation accuracy");
    static final ConfigKey<String> ARMS = ConfigKey.string("search.arms", ARM_PREDICTOR + "," + ARM_RANDOM,
            "arms to run: predictor (train the predicted best) and/or random (the ablation: train random offspring)");

    static List<ConfigKey<?>> keys() {
        return List.of(SEEDS, POPULATION, GENERATIONS, OFFSPRING, TRAIN_TOP, HOLDOUT, ELITE, TOURNAMENT, CROSSOVER, SWITCH,
                NODE_STEP, PROBABILITY_STEP, GENERATORS, MIN_NODES, MAX_NODES, MIN_DEPTH, MAX_DEPTH, MIN_ER_P, MAX_ER_P,
                MAX_WS_K, MAX_BA_M, PREDICTOR, ARMS);
    }

    /** Full trainings per generation after the first, equal in both arms. */
    public int trainingsPerGeneration() {
        return trainTop + holdout;
    }

    public static SearchSettings of(Map<String, Object> flat, String source) {
        Map<String, Object> search = new LinkedHashMap<>();
        flat.forEach((k, v) -> {
            if (k.startsWith(PREFIX)) {
                search.put(k, v);
            }
        });
        java.util.Set<String> known = new java.util.TreeSet<>();
        keys().forEach(k -> known.add(k.name()));
        for (String k : search.keySet()) {
            if (!known.contains(k)) {
                throw new ConfigException(source + ": unknown key '" + k + "'; search keys are " + known);
            }
        }
        StageConfig c = StageConfig.resolve(keys(), search, source);
        List<GraphGenerator> generators = new ArrayList<>();
        for (String name : c.get(GENERATORS).split(",")) {
            GraphGenerator g = GraphGenerator.parse(name);
            if (!generators.contains(g)) {
                generators.add(g);
            }
        }
        GenomeSpace space = new GenomeSpace(generators, c.get(MIN_NODES), c.get(MAX_NODES), c.get(MIN_DEPTH),
                c.get(MAX_DEPTH), c.get(MIN_ER_P), c.get(MAX_ER_P), c.get(MAX_WS_K), c.get(MAX_BA_M));
        GeneticOperators operators = new GeneticOperators(space, c.get(SWITCH), c.get(NODE_STEP), c.get(PROBABILITY_STEP));
        List<String> arms = new ArrayList<>();
        for (String arm : c.get(ARMS).split(",")) {
            String a = arm.trim();
            if (!a.equals(ARM_PREDICTOR) && !a.equals(ARM_RANDOM)) {
                throw new ConfigException(source + ": search.arms: unknown arm '" + a + "', expected predictor and/or random");
            }
            if (!arms.contains(a)) {
                arms.add(a);
            }
        }
        int population = c.get(POPULATION);
        if (c.get(ELITE) > population) {
            throw new ConfigException(source + ": search.elite (" + c.get(ELITE) + ") exceeds search.population ("
                    + population + ")");
        }
        if (c.get(TRAIN_TOP) + c.get(HOLDOUT) > c.get(OFFSPRING)) {
            throw new ConfigException(source + ": search.train_top + search.holdout (" + (c.get(TRAIN_TOP) + c.get(HOLDOUT))
                    + ") exceeds search.offspring (" + c.get(OFFSPRING) + "): only proposed offspring can be trained");
        }
        return new SearchSettings(space, operators, c.get(SEEDS), population, c.get(GENERATIONS), c.get(OFFSPRING),
                c.get(TRAIN_TOP), c.get(HOLDOUT), c.get(ELITE), c.get(TOURNAMENT), c.get(CROSSOVER), c.get(PREDICTOR),
                List.copyOf(arms));
    }

    /** The config without its search section: what every candidate's pipeline is planned from. */
    public static Map<String, Object> withoutSearchKeys(Map<String, Object> flat) {
        Map<String, Object> rest = new java.util.TreeMap<>();
        flat.forEach((k, v) -> {
            if (!k.startsWith(PREFIX)) {
                rest.put(k, v);
            }
        });
        return rest;
    }
}
