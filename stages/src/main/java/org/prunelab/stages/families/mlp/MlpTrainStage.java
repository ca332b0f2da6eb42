package org.prunelab.stages.families.mlp;

import org.prunelab.io.CsvTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.prunelab.stages.CommonKeys;
import org.prunelab.stages.MetricSink;
import org.prunelab.stages.Progress;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.core.CheckpointPolicy;
import org.prunelab.stages.core.EpochLoop;
import org.prunelab.stages.core.MetricsPolicy;
import org.prunelab.stages.core.TrainingPosition;
import org.prunelab.stages.data.DatasetRef;
import org.prunelab.stages.io.Checkpoint;

/**
 * Train (and retrain) an MLP with masked SGD/Adam on the normalised training split (protocol §2.1),
 * starting from the upstream step's weights and masks as they are: a retraining step continues from
 * the pruned weights, never from a re-initialisation, and pruned weights stay exactly 0.
 *
 * <p>Schedule {@code plateau} (protocol §2.1): after each epoch, if the validation accuracy gained less
 * than {@code min_gain} percentage points over the previous epoch (the first epoch compares with the
 * starting model), then if lr &gt; {@code min_lr} the lr is multiplied by 0.1 and a new SGD optimiser
 * with momentum {@code plateau_momentum} (0.5) replaces the old one (moments reset), else training
 * stops. Schedule {@code fixed}: constant lr, optional early stopping after {@code patience}
 * epochs without a new best validation accuracy. At most {@code max_epochs} either way.
 *
 * <p>Exact resume: the data order of epoch e is drawn from stream (seed, e); there is no other
 * randomness. A checkpoint (weights, masks, optimiser moments, Adam step, lr, momentum, plateau state,
 * running epoch loss, history) after any update lets a killed run end bit-identical to an
 * uninterrupted one.
 */
public final class MlpTrainStage implements Stage {
    private final String section;
    private final String dataStep;
    private final String modelStep;
    private final MlpOptimizerKeys opt;
    private final ConfigKey<Integer> maxEpochs;
    private final ConfigKey<String> schedule;
    private final ConfigKey<Double> minGain;
    private final ConfigKey<Double> minLr;
    private final ConfigKey<Double> plateauMomentum;
    private final ConfigKey<Integer> patience;
    private final ConfigKey<Double> weightDecay;
    private final ConfigKey<Double> dropout;
    private final ConfigKey<Boolean> reinitialise;

    /**
     * @param section   config section ({@code train} or {@code retrain})
     * @param dataStep  the load-data step
     * @param modelStep the step whose model (and masks) is trained
     */
    public MlpTrainStage(String section, String dataStep, String modelStep) {
        this.section = section;
        this.dataStep = dataStep;
        this.modelStep = modelStep;
        opt = new MlpOptimizerKeys(section);
        maxEpochs = ConfigKey.integer(section + ".max_epochs", 20, 0, 100_000,
                "upper bound on epochs (protocol: 200 at paper scale)");
        schedule = ConfigKey.choice(section + ".schedule", "plateau", List.of("plateau", "fixed"),
                "plateau: the protocol's lr-decay-then-stop rule; fixed: constant lr");
        minGain = ConfigKey.real(section + ".min_gain", 1e-5, 0.0, 100.0,
                "plateau rule: a validation gain below this many percentage points is a plateau (protocol: 1e-5)");
        minLr = ConfigKey.real(section + ".min_lr", 1e-4, 0.0, 10.0,
                "plateau rule: decay lr only while lr > min_lr, else stop (protocol: 1e-4)");
        plateauMomentum = ConfigKey.real(section + ".plateau_momentum", 0.5, 0.0, 0.999,
                "plateau rule: momentum of the new SGD optimiser built at each decay (protocol: 0.5)");
        patience = ConfigKey.integer(section + ".patience", 0, 0, 100_000,
                "fixed schedule: stop after this many epochs without a new best validation accuracy (0 = never)");
        weightDecay = ConfigKey.real(section + ".weight_decay", 0.0, 0.0, 1.0,
                "L2 weight decay λ, PyTorch SGD's weight_decay: g += λ·w (protocol §2.5 baseline; authors' best 8e-5)");
        dropout = ConfigKey.real(section + ".dropout", 0.0, 0.0, 0.95,
                "dropout probability on the hidden layers' outputs during training, off at evaluation (protocol §2.5)");
        reinitialise = ConfigKey.bool(section + ".reinitialise", false,
                "re-draw the upstream model's weights and biases (keeping its masks) and train from scratch:"
                        + " the reset-mask check of protocol §2.5");
    }

    @Override
    public String kind() {
        return "mlp.train";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(CommonKeys.SEED, MlpData.VALIDATION, MlpData.SPLIT_SEED));
        keys.addAll(opt.keys());
        keys.addAll(List.of(maxEpochs, schedule, minGain, minLr, plateauMomentum, patience, weightDecay, dropout,
                reinitialise));
        return keys;
    }

    @Override
    public void run(StageContext context) throws Exception {
        StageConfig config = context.config();
        MlpData data = MlpData.load(DatasetRef.read(context.inputDir(dataStep)), config.get(MlpData.VALIDATION),
                config.get(MlpData.SPLIT_SEED));
        Mlp upstream = MlpFiles.read(context.inputDir(modelStep));
        long seed = Seeds.derive(config.get(CommonKeys.SEED), kind() + "/" + section);
        Mlp start = config.get(reinitialise) ? reinitialised(upstream, seed) : upstream;
        MlpFiles.checkInputs(start, data.features());
        OptimizerSettings base = opt.settings(config);
        boolean plateau = config.get(schedule).equals("plateau");
        if (plateau && base.adam()) {
            throw new ConfigException(section + ".schedule: the plateau rule rebuilds an SGD optimiser (protocol §2.1);"
                    + " use schedule 'fixed' with adam");
        }
        Optional<Checkpoint> checkpoint = context.checkpoints().latest();
        MlpTrainer.State state = checkpoint.isPresent()
                ? MlpCheckpoints.restore(start.sizes, checkpoint.get(), MlpCheckpoints.longValue(checkpoint.get(), "adam_step"))
                : MlpTrainer.State.fresh(start.copy());
        MlpTrainingRun run = new MlpTrainingRun(data, state, base, new MlpTrainingRun.Schedule(plateau,
                config.get(minGain), config.get(minLr), config.get(plateauMomentum), config.get(patience)),
                config.get(opt.batchSize), config.get(opt.evalBatchSize), config.get(opt.kernel),
                opt.precision(config), seed, context.metrics(),
                new MlpRegularisation(config.get(weightDecay), config.get(dropout),
                Seeds.derive(seed, "dropout")));
        TrainingPosition from = TrainingPosition.start();
        if (checkpoint.isPresent()) {
            from = TrainingPosition.fromState(checkpoint.get().state());
            run.resume(checkpoint.get());
            context.progress().log(String.format(Locale.ROOT, "%s: resuming at epoch %d, batch %d (%d updates done)",
                    context.stepName(), from.epoch(), from.batch(), from.updates()));
        } else {
            run.start(config.get(opt.learningRate));
        }
        TrainingPosition end = train(context, run, from, config.get(maxEpochs), run.batches(0));
        writeOutputs(context, data, state, run, end, config.get(opt.evalBatchSize));
    }

    /**
     * The reset-mask check: the same masks, every weight and bias drawn afresh by the initialisation
     * rule of protocol §2.1 from stream (seed, "reinitialise"), so the surviving weights restart.
     */
    static Mlp reinitialised(Mlp pruned, long seed) {
        return Mlp.initialise(pruned.sizes, Seeds.stream(Seeds.derive(seed, "reinitialise"))).withMasks(pruned.mask);
    }

    /** The core epoch loop with the schedule rule, metrics and checkpoints; nothing if already stopped. */
    private static TrainingPosition train(StageContext context, MlpTrainingRun run, TrainingPosition from, int epochs,
                                          int batches) throws Exception {
        if (run.stopped()) {
            return from;
        }
        try (Progress.Task task = context.progress().start(context.stepName(), (long) epochs * batches,
                (long) from.epoch() * batches + from.batch())) {
            run.reportTo(task);
            EpochLoop loop = new EpochLoop(epochs, List.of(run, new MetricsPolicy(context.metrics(), ""),
                    new CheckpointPolicy(context.checkpoints(), 0, run::checkpoint)));
            return loop.run(run, from);
        }
    }

    private static void writeOutputs(StageContext context, MlpData data, MlpTrainer.State state, MlpTrainingRun run,
                                     TrainingPosition end, int evalBatchSize) throws Exception {
        MlpFiles.write(state.mlp, context.workDir());
        CsvTable.write(context.workDir().resolve("history.csv"), List.of("epoch"), end.history());
        MlpPass.Score finalTest = run.trainer().pass().score(data.testX(), data.testY(), data.testCount(), evalBatchSize);
        MetricSink metrics = context.metrics();
        metrics.log("final.test_accuracy", finalTest.accuracy());
        metrics.log("final.test_loss", finalTest.loss());
        metrics.log("final.epochs", end.epoch());
        metrics.log("final.compression", state.mlp.compression());
        context.publishArtifact(MlpFiles.MODEL);
        context.publishArtifact("history.csv");
    }
}
