package org.prunelab.pipeline.plan;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.prunelab.stages.config.ConfigKey;

/** An ordered list of steps; each step reads only from steps before it. */
public record PipelineDefinition(String family, List<StepSpec> steps) {
    public PipelineDefinition {
        steps = List.copyOf(steps);
        Set<String> seen = new HashSet<>();
        for (StepSpec step : steps) {
            for (String up : step.upstream()) {
                if (!seen.contains(up)) {
                    throw new IllegalArgumentException("step '" + step.name() + "' reads '" + up
                            + "', which does not come before it");
                }
            }
            if (!seen.add(step.name())) {
                throw new IllegalArgumentException("duplicate step '" + step.name() + "'");
            }
        }
    }

    /** Every key any step reads, with its declaration (first declaration wins; duplicates must agree). */
    public Map<String, ConfigKey<?>> keys() {
        Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();
        for (StepSpec step : steps) {
            for (ConfigKey<?> key : step.stage().configKeys()) {
                ConfigKey<?> previous = keys.putIfAbsent(key.name(), key);
                if (previous != null && (previous.type() != key.type()
                        || !java.util.Objects.equals(previous.defaultValue(), key.defaultValue()))) {
                    throw new IllegalStateException("key '" + key.name() + "' declared differently by two stages");
                }
            }
        }
        return keys;
    }

    public Set<String> keyNames() {
        return new TreeSet<>(keys().keySet());
    }
}
