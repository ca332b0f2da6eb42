package org.prunelab.stages.families.mlp;

import java.util.List;
import org.prunelab.stages.ModelFamily;
import org.prunelab.stages.data.LoadDataStage;

/** The masked MLP of the pruning study (mlp-pruning protocol §2); its pruning steps retrain inside. */
public final class MlpFamily implements ModelFamily {
    @Override
    public String name() {
        return "mlp";
    }

    @Override
    public List<Step> steps() {
        return List.of(
                new Step("load-data", new LoadDataStage()),
                new Step("init", new MlpInitStage("load-data"), "load-data"),
                new Step("prune-1", new MlpPruneStage("prune", "load-data", "init"), "load-data", "init"),
                new Step("train", new MlpTrainStage("train", "load-data", "prune-1"), "load-data", "prune-1"),
                new Step("prune-2", new MlpPruneStage("reprune", "load-data", "train"), "load-data", "train"),
                new Step("retrain", new MlpTrainStage("retrain", "load-data", "prune-2"), "load-data", "prune-2"),
                new Step("evaluate", new MlpEvaluateStage("load-data", "retrain"), "load-data", "retrain"));
    }
}
