package org.prunelab.stages.families.rbm;

import java.util.ArrayList;
import java.util.List;
import org.prunelab.stages.ModelFamily;
import org.prunelab.stages.data.LoadDataStage;
import org.prunelab.stages.eval.ClassifierStage;

/**
 * The RBM dilution pipeline: load data → init → prune → train → prune → retrain → evaluate. Exactly
 * seven steps (seven stage runs in MLflow); {@link RbmStudyFamily} adds the auxiliary classifier.
 */
public final class RbmFamily implements ModelFamily {
    @Override
    public String name() {
        return "rbm";
    }

    @Override
    public List<Step> steps() {
        return steps(false);
    }

    /** {@code study} adds the classifier (protocol §7.5) after load-data and lets evaluate read it. */
    static List<Step> steps(boolean study) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("load-data", new LoadDataStage()));
        if (study) {
            steps.add(new Step("classifier", new ClassifierStage("load-data"), "load-data"));
        }
        steps.add(new Step("init", new RbmInitStage("load-data"), "load-data"));
        steps.add(new Step("prune-1", new RbmPruneStage("prune", "init"), "init"));
        steps.add(new Step("train", new RbmTrainStage("train", "load-data", "prune-1"), "load-data", "prune-1"));
        // prune-2 reads init (W0, a0, b0) to rewind (lth arms, P2 "same mask, from scratch") and
        // load-data because lth-iterative trains between rounds (protocol §5).
        steps.add(new Step("prune-2", new RbmPruneStage("reprune", "train", "init", "load-data",
                RbmTrainingKeys.of("train")), "load-data", "init", "train"));
        steps.add(new Step("retrain", new RbmTrainStage("retrain", "load-data", "prune-2"), "load-data", "prune-2"));
        steps.add(study
                ? new Step("evaluate", new RbmEvaluateStage("load-data", "retrain", "classifier"),
                        "load-data", "retrain", "classifier")
                : new Step("evaluate", new RbmEvaluateStage("load-data", "retrain"), "load-data", "retrain"));
        return steps;
    }
}
