package org.prunelab.stages.mlp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    }

    @Override
    public String kind() {
        return "mlp.train";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(CommonKeys.SEED, MlpData.VALIDATION, MlpData.SPLIT_SEED));
        keys.addAll(opt.keys());
        keys.addAll(List.of(maxEpochs, schedule, minGain, minLr, plateauMomentum, patience));
        return keys;
    }

    @Override
    public void run(StageContext context) throws Exception {
        StageConfig config = context.config();
        MlpData data = MlpData.load(DatasetRef.read(context.inputDir(dataStep)), config.get(MlpData.VALIDATION),
                config.get(MlpData.SPLIT_SEED));
        Mlp start = MlpFiles.read(context.inputDir(modelStep));
        if (start.sizes[0] != data.features()) {
            throw new IllegalStateException("model has " + start.sizes[0] + " inputs, data has " + data.features() + " pixels");
        }
        int bs = config.get(opt.batchSize);
        int evalBs = config.get(opt.evalBatchSize);
        OptimizerSettings base = opt.settings(config);
        boolean plateau = config.get(schedule).equals("plateau");
        if (plateau && base.adam()) {
            throw new ConfigException(section + ".schedule: the plateau rule rebuilds an SGD optimiser (protocol §2.1);"
                    + " use schedule 'fixed' with adam");
        }
        long seed = Seeds.derive(config.get(CommonKeys.SEED), kind() + "/" + section);

        MlpTrainer.State state;
        int epoch0 = 0;
        int batch0 = 0;
        long updates = 0;
        double lr = config.get(opt.learningRate);
        double momentum = base.momentum();
        double prevVal;
        double bestVal;
        int sinceBest = 0;
        boolean stopped = false;
        double lossSum = 0.0;
        List<Map<String, Object>> history = new ArrayList<>();
        Optional<Checkpoint> checkpoint = context.checkpoints().latest();
        if (checkpoint.isPresent()) {
            Checkpoint c = checkpoint.get();
            state = MlpCheckpoints.restore(start.sizes, c, MlpCheckpoints.longValue(c, "adam_step"));
            epoch0 = MlpCheckpoints.integer(c, "epoch");
            batch0 = MlpCheckpoints.integer(c, "batch");
            updates = MlpCheckpoints.longValue(c, "updates");
            lr = MlpCheckpoints.real(c, "lr");
            momentum = MlpCheckpoints.real(c, "momentum");
            prevVal = MlpCheckpoints.real(c, "prev_val_accuracy");
            bestVal = MlpCheckpoints.real(c, "best_val_accuracy");
            sinceBest = MlpCheckpoints.integer(c, "epochs_since_best");
            stopped = (Boolean) c.state().get("stopped");
            lossSum = MlpCheckpoints.real(c, "epoch_loss_sum");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> saved = (List<Map<String, Object>>) c.state().get("history");
            history.addAll(saved);
            System.out.printf(Locale.ROOT, "    %s: resuming at epoch %d, batch %d (%d updates done)%n",
                    context.stepName(), epoch0, batch0, updates);
        } else {
            state = MlpTrainer.State.fresh(start.copy());
            MlpPass.Score initial = MlpPass.of(state.mlp, config.get(opt.kernel))
                    .score(data.valX(), data.valY(), data.validationCount(), evalBs);
            prevVal = initial.accuracy();
            bestVal = initial.accuracy();
        }
        MlpTrainer trainer = new MlpTrainer(base.withMomentum(momentum), MlpPass.of(state.mlp, config.get(opt.kernel)));

        MlpEpoch loop = new MlpEpoch(data, bs);
        int batches = loop.batches();
        int totalEpochs = config.get(maxEpochs);
        MetricSink metrics = context.metrics();
        int epochsRun = epoch0;
        try (Progress.Task task = context.progress().start(context.stepName(), (long) totalEpochs * batches,
                (long) epoch0 * batches + batch0)) {
            for (int epoch = epoch0; epoch < totalEpochs && !stopped; epoch++) {
                long epochStart = System.nanoTime();
                int[] order = Seeds.permutation(data.trainCount(), Seeds.stream(seed, epoch));
                for (int b = epoch == epoch0 ? batch0 : 0; b < batches; b++) {
                    lossSum += loop.trainBatch(trainer, state, order, b, lr);
                    updates++;
                    task.step(1);
                    if (b + 1 < batches && context.checkpoints().due(updates)) {
                        context.checkpoints().save(checkpoint(state, epoch, b + 1, updates, lr, momentum, prevVal,
                                bestVal, sinceBest, false, lossSum, history));
                    }
                }
                MlpPass pass = trainer.pass();
                MlpPass.Score val = pass.score(data.valX(), data.valY(), data.validationCount(), evalBs);
                MlpPass.Score test = pass.score(data.testX(), data.testY(), data.testCount(), evalBs);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("epoch", epoch + 1);
                row.put("train_loss", lossSum / data.trainCount());
                row.put("val_accuracy", val.accuracy());
                row.put("val_loss", val.loss());
                row.put("test_accuracy", test.accuracy());
                row.put("test_loss", test.loss());
                row.put("lr", lr);
                row.put("momentum", momentum);
                double gainPoints = 100.0 * (val.accuracy() - prevVal);
                if (plateau) {
                    if (gainPoints < config.get(minGain)) {
                        if (lr > config.get(minLr)) {
                            lr *= 0.1;
                            momentum = config.get(plateauMomentum);
                            state.resetOptimiser(); // a new optimiser object in the reference code
                            trainer = new MlpTrainer(base.withMomentum(momentum), trainer.pass());
                            row.put("event", "lr_decay");
                        } else {
                            stopped = true;
                            row.put("event", "stop");
                        }
                    }
                } else {
                    if (val.accuracy() > bestVal) {
                        bestVal = val.accuracy();
                        sinceBest = 0;
                    } else {
                        sinceBest++;
                        if (config.get(patience) > 0 && sinceBest >= config.get(patience)) {
                            stopped = true;
                            row.put("event", "stop");
                        }
                    }
                }
                prevVal = val.accuracy();
                history.add(row);
                for (var e : row.entrySet()) {
                    if (e.getValue() instanceof Number v && !e.getKey().equals("epoch")) {
                        metrics.log(e.getKey(), v.doubleValue(), epoch + 1);
                    }
                }
                metrics.log("epoch_seconds", (System.nanoTime() - epochStart) / 1e9, epoch + 1);
                task.message(String.format(Locale.ROOT, "epoch %d: loss %.4f, val %.2f%%, test %.2f%%, lr %.0e",
                        epoch + 1, lossSum / data.trainCount(), 100 * val.accuracy(), 100 * test.accuracy(),
                        (double) row.get("lr")));
                lossSum = 0.0;
                epochsRun = epoch + 1;
                context.checkpoints().save(checkpoint(state, epoch + 1, 0, updates, lr, momentum, prevVal, bestVal,
                        sinceBest, stopped, 0.0, history));
            }
        }
        MlpFiles.write(state.mlp, context.workDir());
        MlpReports.writeCsv(context.workDir().resolve("history.csv"), history, List.of("epoch"));
        MlpPass.Score finalTest = trainer.pass().score(data.testX(), data.testY(), data.testCount(), evalBs);
        metrics.log("final.test_accuracy", finalTest.accuracy());
        metrics.log("final.test_loss", finalTest.loss());
        metrics.log("final.epochs", epochsRun);
        metrics.log("final.compression", state.mlp.compression());
        context.publishArtifact(MlpFiles.MODEL);
        context.publishArtifact("history.csv");
    }

    private static Checkpoint checkpoint(MlpTrainer.State s, int epoch, int batch, long updates, double lr,
                                         double momentum, double prevVal, double bestVal, int sinceBest,
                                         boolean stopped, double lossSum, List<Map<String, Object>> history) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("epoch", epoch);
        state.put("batch", batch);
        state.put("updates", updates);
        state.put("adam_step", s.step);
        state.put("lr", lr);
        state.put("momentum", momentum);
        state.put("prev_val_accuracy", prevVal);
        state.put("best_val_accuracy", bestVal);
        state.put("epochs_since_best", sinceBest);
        state.put("stopped", stopped);
        state.put("epoch_loss_sum", lossSum);
        state.put("history", new ArrayList<>(history));
        return new Checkpoint(updates, MlpCheckpoints.tensors(s), state);
    }
}
