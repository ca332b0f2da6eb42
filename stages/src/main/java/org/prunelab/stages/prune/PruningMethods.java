package org.prunelab.stages.prune;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of pruning methods, family-free: a new method is one class implementing
 * {@link PruningMethod} plus one line in {@link #METHODS}. A family maps its config values onto
 * these names. The lottery ticket's rewinding and round schedule are in {@link LotteryTicket};
 * iterative schedules call a method once per step with a {@link PruningRequest.Rate}.
 */
public final class PruningMethods {
    private static final List<PruningMethod> METHODS = List.of(
            new NoPruning(),
            new RandomPruning(),
            new MagnitudePruning(),
            new PerUnitMagnitudePruning(),
            new PercentilePruning("class-blinded", LayerPruning.Method.CLASS_BLINDED),
            new PercentilePruning("class-uniform", LayerPruning.Method.CLASS_UNIFORM),
            new PercentilePruning("class-distribution", LayerPruning.Method.CLASS_DISTRIBUTION),
            new PercentilePruning("random-saliency", LayerPruning.Method.RANDOM),
            new ObdPruning("obd", false),
            new ObdPruning("obd-fisher", true),
            new LayerwiseObsPruning(LayerwiseObsPruning.DEFAULT_DAMPING));

    private static final Map<String, PruningMethod> BY_NAME = index();

    private PruningMethods() {
    }

    private static Map<String, PruningMethod> index() {
        Map<String, PruningMethod> byName = new LinkedHashMap<>();
        for (PruningMethod m : METHODS) {
            if (byName.put(m.name(), m) != null) {
                throw new IllegalStateException("two pruning methods are named '" + m.name() + "'");
            }
        }
        return byName;
    }

    /** The method of that name; an unknown name is an error listing the known ones. */
    public static PruningMethod get(String name) {
        PruningMethod m = BY_NAME.get(name);
        if (m == null) {
            throw new IllegalArgumentException("unknown pruning method '" + name + "' (known: "
                    + String.join(", ", BY_NAME.keySet()) + ")");
        }
        return m;
    }

    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }
}
