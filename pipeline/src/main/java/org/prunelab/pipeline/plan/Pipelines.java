package org.prunelab.pipeline.plan;

import java.util.ArrayList;
import java.util.List;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.data.LoadDataStage;
import org.prunelab.stages.eval.ClassifierStage;
import org.prunelab.stages.mlp.MlpEvaluateStage;
import org.prunelab.stages.mlp.MlpInitStage;
import org.prunelab.stages.mlp.MlpTrainStage;
import org.prunelab.stages.prune.MlpPruneStage;
import org.prunelab.stages.prune.RbmPruneStage;
import org.prunelab.stages.rbm.RbmEvaluateStage;
import org.prunelab.stages.rbm.RbmInitStage;
import org.prunelab.stages.rbm.RbmTrainStage;
import org.prunelab.stages.rbm.RbmTrainingKeys;

/**
 * The pipelines prunelab knows, by model family. Every family has the seven steps
 * load data → init → prune → train → prune → retrain → evaluate; the family chooses the stages.
 * {@code rbm-study} adds a classifier step for the sample scores of the RBM study.
 */
public final class Pipelines {
    private Pipelines() {
    }

    public static final List<String> FAMILIES = List.of("rbm", "rbm-study", "mlp");

    public static PipelineDefinition definition(String family) {
        return switch (family) {
            case "rbm" -> new PipelineDefinition("rbm", rbmSteps(false));
            case "rbm-study" -> new PipelineDefinition("rbm-study", rbmSteps(true));
            case "mlp" -> new PipelineDefinition("mlp", mlpSteps());
            default -> throw new ConfigException("pipeline: unknown model family '" + family + "' (known: "
                    + String.join(", ", FAMILIES) + ")");
        };
    }

    /** The masked MLP of the pruning study (mlp-pruning protocol §2); pruning steps retrain inside. */
    private static List<StepSpec> mlpSteps() {
        return List.of(
                new StepSpec("load-data", new LoadDataStage(), List.of()),
                new StepSpec("init", new MlpInitStage("load-data"), List.of("load-data")),
                new StepSpec("prune-1", new MlpPruneStage("prune", "load-data", "init"), List.of("load-data", "init")),
                new StepSpec("train", new MlpTrainStage("train", "load-data", "prune-1"), List.of("load-data", "prune-1")),
                new StepSpec("prune-2", new MlpPruneStage("reprune", "load-data", "train"), List.of("load-data", "train")),
                new StepSpec("retrain", new MlpTrainStage("retrain", "load-data", "prune-2"),
                        List.of("load-data", "prune-2")),
                new StepSpec("evaluate", new MlpEvaluateStage("load-data", "retrain"), List.of("load-data", "retrain")));
    }

    /**
     * The seven RBM steps; {@code study} adds the auxiliary classifier (protocol §7.5) after load-data
     * and lets evaluate read it for {@code evaluate.sample_scores}. The plain family keeps exactly
     * seven steps (seven stage runs in MLflow).
     */
    private static List<StepSpec> rbmSteps(boolean study) {
        List<StepSpec> steps = new ArrayList<>();
        steps.add(new StepSpec("load-data", new LoadDataStage(), List.of()));
        if (study) {
            steps.add(new StepSpec("classifier", new ClassifierStage("load-data"), List.of("load-data")));
        }
        steps.add(new StepSpec("init", new RbmInitStage("load-data"), List.of("load-data")));
        steps.add(new StepSpec("prune-1", new RbmPruneStage("prune", "init"), List.of("init")));
        steps.add(new StepSpec("train", new RbmTrainStage("train", "load-data", "prune-1"),
                List.of("load-data", "prune-1")));
        // prune-2 reads init (W0, a0, b0) to rewind (lth arms, P2 "same mask, from scratch") and
        // load-data because lth-iterative trains between rounds (protocol §5).
        steps.add(new StepSpec("prune-2", new RbmPruneStage("reprune", "train", "init", "load-data",
                RbmTrainingKeys.of("train")), List.of("load-data", "init", "train")));
        steps.add(new StepSpec("retrain", new RbmTrainStage("retrain", "load-data", "prune-2"),
                List.of("load-data", "prune-2")));
        steps.add(study
                ? new StepSpec("evaluate", new RbmEvaluateStage("load-data", "retrain", "classifier"),
                        List.of("load-data", "retrain", "classifier"))
                : new StepSpec("evaluate", new RbmEvaluateStage("load-data", "retrain"),
                        List.of("load-data", "retrain")));
        return steps;
    }
}
