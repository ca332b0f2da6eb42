package org.prunelab.pipeline.plan;

import java.util.List;
import java.util.stream.Collectors;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.io.Digests;

/** The steps of one pipeline run in order, each with its identity and action. */
public record Plan(ExperimentConfig config, String experimentName, PipelineDefinition definition,
                   List<PlannedStep> steps) {

    /** A pipeline's identity is that of all its steps: the same steps, the same pipeline run. */
    public String pipelineId() {
        return Digests.sha256(steps.stream().map(s -> s.name() + "=" + s.identity().hash())
                .collect(Collectors.joining("\n"))).substring(0, 16);
    }

    public PlannedStep step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no step " + name));
    }

    public boolean nothingToDo() {
        return steps.stream().allMatch(s -> s.action() == PlannedStep.Action.REUSE);
    }
}
