package org.prunelab.stages.families.linreg;

import java.util.List;
import org.prunelab.stages.ModelFamily;

/**
 * A toy family for the tests: masked linear regression y = x·(w⊙m) + b on synthetic data. It exists
 * to show what a new family costs: this package plus one line in
 * {@code META-INF/services/org.prunelab.stages.ModelFamily}; everything else (planner, engine,
 * checkpoints, resume, pruning registry, optimisers, epoch loop, kernels) is shared.
 */
public final class LinRegFamily implements ModelFamily {
    @Override
    public String name() {
        return "linreg";
    }

    @Override
    public List<Step> steps() {
        return List.of(
                new Step("load-data", new LinRegDataStage()),
                new Step("init", new LinRegInitStage("load-data"), "load-data"),
                new Step("train", new LinRegTrainStage("load-data", "init"), "load-data", "init"),
                new Step("evaluate", new LinRegEvaluateStage("load-data", "train"), "load-data", "train"));
    }
}
