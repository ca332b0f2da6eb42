package org.prunelab.pipeline.plan;

import java.util.SortedMap;
import org.prunelab.stages.config.StageConfig;

/** A step with its resolved config and identity, and what the engine will do with it. */
public record PlannedStep(StepSpec spec, StageConfig config, StepIdentity identity,
                          SortedMap<String, String> codeClasses, Action action, String reason) {

    public enum Action {
        /** Finished earlier with the same identity: its outputs are used as they are. */
        REUSE,
        /** Started earlier and interrupted: continues from its last checkpoint. */
        RESUME,
        /** Never run with this identity. */
        RUN
    }

    public String name() {
        return spec.name();
    }
}
