package org.prunelab.pipeline.plan;

import java.util.List;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.data.LoadDataStage;
import org.prunelab.stages.prune.RbmPruneStage;
import org.prunelab.stages.rbm.RbmEvaluateStage;
import org.prunelab.stages.rbm.RbmInitStage;
import org.prunelab.stages.rbm.RbmTrainStage;
import org.prunelab.stages.rbm.RbmTrainingKeys;

/**
 * The pipelines prunelab knows, by model family. Every family has the same seven steps:
 * load data → init → prune → train → prune → retrain → evaluate; the family chooses the stages.
 */
public final class Pipelines {
    private Pipelines() {
    }

    public static PipelineDefinition definition(String family) {
        return switch (family) {
            case "rbm" -> new PipelineDefinition("rbm", List.of(
                    new StepSpec("load-data", new LoadDataStage(), List.of()),
                    new StepSpec("init", new RbmInitStage("load-data"), List.of("load-data")),
                    new StepSpec("prune-1", new RbmPruneStage("prune", "init"), List.of("init")),
                    new StepSpec("train", new RbmTrainStage("train", "load-data", "prune-1"),
                            List.of("load-data", "prune-1")),
                    // prune-2 reads init (W0, a0, b0) to rewind (lth arms, P2 "same mask, from scratch")
                    // and load-data because lth-iterative trains between rounds (spec §5).
                    new StepSpec("prune-2", new RbmPruneStage("reprune", "train", "init", "load-data",
                            RbmTrainingKeys.of("train")), List.of("load-data", "init", "train")),
                    new StepSpec("retrain", new RbmTrainStage("retrain", "load-data", "prune-2"),
                            List.of("load-data", "prune-2")),
                    new StepSpec("evaluate", new RbmEvaluateStage("load-data", "retrain"),
                            List.of("load-data", "retrain"))));
            default -> throw new ConfigException("pipeline: unknown model family '" + family + "' (known: rbm)");
        };
    }
}
