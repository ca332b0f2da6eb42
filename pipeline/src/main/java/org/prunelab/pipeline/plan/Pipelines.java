package org.prunelab.pipeline.plan;

import java.util.List;
import org.prunelab.stages.ModelFamilies;
import org.prunelab.stages.ModelFamily;
import org.prunelab.stages.config.ConfigException;

/**
 * The pipelines prunelab knows: one per registered {@link ModelFamily} (see {@link ModelFamilies}).
 * Each family declares its own ordered steps; this class only turns them into a
 * {@link PipelineDefinition} and imports no family.
 */
public final class Pipelines {
    private Pipelines() {
    }

    /** The names the config key {@code pipeline:} accepts, sorted. */
    public static final List<String> FAMILIES = ModelFamilies.names();

    public static PipelineDefinition definition(String family) {
        ModelFamily found = ModelFamilies.byName(family).orElseThrow(() -> new ConfigException(
                "pipeline: unknown model family '" + family + "' (known: " + String.join(", ", FAMILIES) + ")"));
        List<StepSpec> steps = found.steps().stream()
                .map(step -> new StepSpec(step.name(), step.stage(), step.upstream()))
                .toList();
        return new PipelineDefinition(found.name(), steps);
    }
}
