package org.prunelab.pipeline.plan;

import java.util.List;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.data.LoadDataStage;
import org.prunelab.stages.mlp.MlpEvaluateStage;
import org.prunelab.stages.mlp.MlpInitStage;
import org.prunelab.stages.mlp.MlpTrainStage;
import org.prunelab.stages.prune.MlpPruneStage;
import org.prunelab.stages.prune.RbmPruneStage;
import org.prunelab.stages.rbm.RbmEvaluateStage;
import org.prunelab.stages.rbm.RbmInitStage;
import org.prunelab.stages.rbm.RbmTrainStage;

/**
 * The pipelines prunelab knows, by model family. Every family has the same seven steps:
 * load data → init → prune → train → prune → retrain → evaluate; the family chooses the stages.
 */
public final class Pipelines {
    private Pipelines() {
    }

    public static final List<String> FAMILIES = List.of("rbm", "mlp");

    public static PipelineDefinition definition(String family) {
        return switch (family) {
            case "rbm" -> new PipelineDefinition("rbm", List.of(
                    new StepSpec("load-data", new LoadDataStage(), List.of()),
                    new StepSpec("init", new RbmInitStage("load-data"), List.of("load-data")),
                    new StepSpec("prune-1", new RbmPruneStage("prune", "init"), List.of("init")),
                    new StepSpec("train", new RbmTrainStage("train", "load-data", "prune-1"),
                            List.of("load-data", "prune-1")),
                    new StepSpec("prune-2", new RbmPruneStage("reprune", "train"), List.of("train")),
                    new StepSpec("retrain", new RbmTrainStage("retrain", "load-data", "prune-2"),
                            List.of("load-data", "prune-2")),
                    new StepSpec("evaluate", new RbmEvaluateStage("load-data", "retrain"),
                            List.of("load-data", "retrain"))));
            case "mlp" -> new PipelineDefinition("mlp", List.of(
                    new StepSpec("load-data", new LoadDataStage(), List.of()),
                    new StepSpec("init", new MlpInitStage("load-data"), List.of("load-data")),
                    new StepSpec("prune-1", new MlpPruneStage("prune", "load-data", "init"), List.of("load-data", "init")),
                    new StepSpec("train", new MlpTrainStage("train", "load-data", "prune-1"),
                            List.of("load-data", "prune-1")),
                    new StepSpec("prune-2", new MlpPruneStage("reprune", "load-data", "train"),
                            List.of("load-data", "train")),
                    new StepSpec("retrain", new MlpTrainStage("retrain", "load-data", "prune-2"),
                            List.of("load-data", "prune-2")),
                    new StepSpec("evaluate", new MlpEvaluateStage("load-data", "retrain"),
                            List.of("load-data", "retrain"))));
            default -> throw new ConfigException("pipeline: unknown model family '" + family + "' (known: "
                    + String.join(", ", FAMILIES) + ")");
        };
    }
}
