package org.prunelab.stages.families.rnn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.prunelab.stages.CommonKeys;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.core.CheckpointPolicy;
import org.prunelab.stages.core.EpochLoop;
import org.prunelab.stages.core.MetricsPolicy;
import org.prunelab.stages.core.TrainingPosition;
import org.prunelab.stages.core.TrainingState;
import org.prunelab.stages.data.reber.ReberSet;
import org.prunelab.stages.io.Checkpoint;
import org.prunelab.stages.recurrent.RecurrentClassifier;

/**
 * Train (and retrain) a recurrent classifier with Adam, gradient-norm clipping and
 * back-propagation through time, as the authors did: a fresh Adam per step (so retraining after
 * pruning starts with zero moments), the data shuffled each epoch, test accuracy after every epoch
 * (MLflow metric {@code test_accuracy} with step = epoch). The accuracy of the incoming model is logged
 * at step 0, which for the retrain step is the "right after pruning" value. Masked weights stay exactly
 * 0: their gradients are masked and Adam skips them.
 *
 * <p>Exact resume: the order of epoch e comes from stream (seed, e); the checkpoint holds every
 * parameter, both Adam moments and the running loss of the epoch.
 */
public final class RnnTrainStage implements Stage {
    private final String section;
    private final String dataStep;
    private final String modelStep;
    private final RnnKeys.Training keys;

    public RnnTrainStage(String section, String dataStep, String modelStep, int defaultEpochs) {
        this.section = section;
        this.dataStep = dataStep;
        this.modelStep = modelStep;
        this.keys = new RnnKeys.Training(section, defaultEpochs);
    }

    @Override
    public String kind() {
        return "rnn.train";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        List<ConfigKey<?>> k = new ArrayList<>(List.of(CommonKeys.SEED));
        k.addAll(keys.keys());
        return k;
    }

    @Override
    public void run(StageContext context) throws Exception {
        StageConfig config = context.config();
        ReberSet[] data = ReberDataStage.read(context.inputDir(dataStep));
        RecurrentClassifier model = RnnModelFiles.read(context.inputDir(modelStep));
        RnnTraining training = new RnnTraining(model, data[0], data[1], config.get(keys.batch),
                config.get(keys.learningRate), config.get(keys.clip), config.get(keys.evalBatch),
                Seeds.derive(config.get(CommonKeys.SEED), kind() + "/" + section));
        double atStart = training.testAccuracy();
        context.metrics().log("test_accuracy", atStart, 0);

        TrainingState state = training.state();
        Optional<Checkpoint> latest = context.checkpoints().latest();
        TrainingPosition from = latest.map(c -> {
            TrainingPosition p = state.restore(c);
            training.restoreExtras(c.state());
            return p;
        }).orElse(TrainingPosition.start());
        if (from.updates() > 0) {
            context.progress().log(String.format(Locale.ROOT, "%s: resuming at epoch %d, batch %d", context.stepName(),
                    from.epoch(), from.batch()));
        }
        int epochs = config.get(keys.epochs);
        try (var task = context.progress().start(context.stepName() + " (" + model.layers().get(0).cell().configName()
                + ")", (long) epochs * training.batches(0), from.updates())) {
            training.onUpdate(task::step);
            EpochLoop loop = new EpochLoop(epochs, List.of(
                    new CheckpointPolicy(context.checkpoints(), 0, state.snapshot(training::extras)),
                    new MetricsPolicy(context.metrics(), "")));
            TrainingPosition end = loop.run(training, from);
            context.metrics().log("epochs_run", end.epoch());
            logSummary(context, atStart, end);
        }
        RnnModelFiles.write(model, context.workDir());
    }

    /**
     * The three numbers the authors report per pruning rate, as final metrics of the step: accuracy of
     * the incoming model (for retrain: right after pruning), after the first epoch, and at the end.
     */
    private static void logSummary(StageContext context, double atStart, TrainingPosition end) {
        List<java.util.Map<String, Object>> history = end.history();
        context.metrics().log("accuracy_at_start", atStart);
        double afterOne = history.isEmpty() ? atStart : ((Number) history.get(0).get("test_accuracy")).doubleValue();
        double last = history.isEmpty() ? atStart
                : ((Number) history.get(history.size() - 1).get("test_accuracy")).doubleValue();
        context.metrics().log("accuracy_after_1_epoch", afterOne);
        context.metrics().log("accuracy_final", last);
    }
}
