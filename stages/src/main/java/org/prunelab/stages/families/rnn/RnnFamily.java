package org.prunelab.stages.families.rnn;

import java.util.List;
import org.prunelab.stages.ModelFamily;

/**
 * {@code pipeline: rnn} — recurrent networks on the Reber grammar (the second paper's pruning of
 * recurrent networks): load-data → init → train (the base model, shared by every pruning rate) →
 * prune (one shot) → retrain (fresh Adam) → evaluate. There is no pruning before training in this
 * protocol, so the family declares no prune-1 step.
 */
public final class RnnFamily implements ModelFamily {
    @Override
    public String name() {
        return "rnn";
    }

    @Override
    public List<Step> steps() {
        return List.of(
                new Step("load-data", new ReberDataStage()),
                new Step("init", new RnnInitStage()),
                new Step("train", new RnnTrainStage("train", "load-data", "init", 50), "load-data", "init"),
                new Step("prune", new RnnPruneStage("train"), "train"),
                new Step("retrain", new RnnTrainStage("retrain", "load-data", "prune", 10), "load-data", "prune"),
                new Step("evaluate", new RnnEvaluateStage("load-data", "retrain"), "load-data", "retrain"));
    }
}
