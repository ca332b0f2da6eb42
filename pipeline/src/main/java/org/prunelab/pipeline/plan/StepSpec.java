package org.prunelab.pipeline.plan;

import java.util.List;
import org.prunelab.stages.Stage;

/** One step of a pipeline: a name, the stage that does its work, and the steps it reads from. */
public record StepSpec(String name, Stage stage, List<String> upstream) {
    public StepSpec {
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("step name '" + name + "' must be lower-case letters, digits, '-'");
        }
        upstream = List.copyOf(upstream);
    }
}
