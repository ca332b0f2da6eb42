package org.prunelab.stages.families.mlp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.prunelab.stages.MetricSink;
import org.prunelab.stages.Progress;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.core.EpochLoop;
import org.prunelab.stages.core.TrainingPolicy;
import org.prunelab.stages.core.TrainingPosition;
import org.prunelab.stages.io.Checkpoint;
import org.prunelab.stages.linalg.Precision;

/**
 * One MLP training as the core {@link EpochLoop} runs it: the updates of each epoch (data order
 * from stream (seed, e)), the evaluation after it, and the schedule rule of protocol §2.1 as a policy
 * (plateau: lr ×0.1 and a fresh SGD optimiser, or stop; fixed: optional early stopping on the best
 * validation accuracy). Everything the rule and the running loss need for an exact resume is in
 * {@link #extraState()}.
 */
final class MlpTrainingRun implements EpochLoop.Steps, TrainingPolicy {
    /** The schedule's settings (see {@link MlpTrainStage}'s keys). */
    record Schedule(boolean plateau, double minGain, double minLr, double plateauMomentum, int patience) {
    }

    private final MlpData data;
    private final MlpTrainer.State state;
    private final OptimizerSettings base;
    private final Schedule schedule;
    private final MlpEpoch loop;
    private final int evalBatchSize;
    private final long seed;
    private final MetricSink metrics;
    private final MlpRegularisation regularisation;
    private MlpTrainer trainer;
    private Progress.Task task = null;

    // The schedule's state, checkpointed.
    private double lr, momentum, prevVal, bestVal, lossSum;
    private int sinceBest;
    private boolean stopped;

    private int[] order = new int[0];
    private int orderEpoch = -1;
    private long epochStart;
    private double lastVal, lastTest;

    MlpTrainingRun(MlpData data, MlpTrainer.State state, OptimizerSettings base, Schedule schedule, int batchSize,
                   int evalBatchSize, String kernel, Precision precision, long seed, MetricSink metrics,
                   MlpRegularisation regularisation) {
        this.data = data;
        this.state = state;
        this.base = base;
        this.schedule = schedule;
        this.loop = new MlpEpoch(data, batchSize);
        this.evalBatchSize = evalBatchSize;
        this.seed = seed;
        this.metrics = metrics;
        this.regularisation = regularisation;
        this.trainer = new MlpTrainer(base, regularisation.pass(state.mlp, kernel, precision), regularisation);
    }

    /** A training that has not started: the rule compares the first epoch with the starting model. */
    void start(double learningRate) {
        lr = learningRate;
        momentum = base.momentum();
        double initial = score(data.valX(), data.valY(), data.validationCount()).accuracy();
        prevVal = initial;
        bestVal = initial;
    }

    /** The schedule's state from a checkpoint of {@link #extraState()}. */
    void resume(Checkpoint c) {
        lr = MlpCheckpoints.real(c, "lr");
        momentum = MlpCheckpoints.real(c, "momentum");
        prevVal = MlpCheckpoints.real(c, "prev_val_accuracy");
        bestVal = MlpCheckpoints.real(c, "best_val_accuracy");
        sinceBest = MlpCheckpoints.integer(c, "epochs_since_best");
        stopped = (Boolean) c.state().get("stopped");
        lossSum = MlpCheckpoints.real(c, "epoch_loss_sum");
        trainer = new MlpTrainer(base.withMomentum(momentum), trainer.pass(), regularisation);
    }

    void reportTo(Progress.Task progress) {
        this.task = progress;
    }

    boolean stopped() {
        return stopped;
    }

    MlpTrainer trainer() {
        return trainer;
    }

    Map<String, Object> extraState() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("adam_step", state.step);
        s.put("lr", lr);
        s.put("momentum", momentum);
        s.put("prev_val_accuracy", prevVal);
        s.put("best_val_accuracy", bestVal);
        s.put("epochs_since_best", sinceBest);
        s.put("stopped", stopped);
        s.put("epoch_loss_sum", lossSum);
        return s;
    }

    /** A checkpoint of the model, its optimiser and this run at {@code at}. */
    Checkpoint checkpoint(long position, TrainingPosition at) {
        Map<String, Object> s = extraState();
        s.putAll(at.asState());
        return new Checkpoint(position, MlpCheckpoints.tensors(state), s);
    }

    @Override
    public int batches(int epoch) {
        return loop.batches();
    }

    @Override
    public void update(int epoch, int batch) {
        if (orderEpoch != epoch) {
            order = Seeds.permutation(data.trainCount(), Seeds.stream(seed, epoch));
            orderEpoch = epoch;
            epochStart = System.nanoTime();
        }
        regularisation.at(epoch, batch);
        lossSum += loop.trainBatch(trainer, state, order, batch, lr);
        task.step(1);
    }

    @Override
    public Map<String, Object> evaluate(int epoch) {
        MlpPass.Score val = score(data.valX(), data.valY(), data.validationCount());
        MlpPass.Score test = score(data.testX(), data.testY(), data.testCount());
        lastVal = val.accuracy();
        lastTest = test.accuracy();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", epoch);
        row.put("train_loss", lossSum / data.trainCount());
        row.put("val_accuracy", val.accuracy());
        row.put("val_loss", val.loss());
        row.put("test_accuracy", test.accuracy());
        row.put("test_loss", test.loss());
        row.put("lr", lr);
        row.put("momentum", momentum);
        return row;
    }

    /** The schedule rule after each epoch; also the epoch's time and progress line. */
    @Override
    public Decision afterEpoch(TrainingPosition at, Map<String, Object> row) {
        String event = schedule.plateau() ? plateauRule() : earlyStopping();
        if (event != null) {
            row.put("event", event);
        }
        prevVal = lastVal;
        metrics.log("epoch_seconds", (System.nanoTime() - epochStart) / 1e9, at.epoch());
        task.message(String.format(Locale.ROOT, "epoch %d: loss %.4f, val %.2f%%, test %.2f%%, lr %.0e",
                at.epoch(), lossSum / data.trainCount(), 100 * lastVal, 100 * lastTest, (double) row.get("lr")));
        lossSum = 0.0;
        return stopped ? Decision.STOP : Decision.CONTINUE;
    }

    /** Spec §2.1: a gain under min_gain points decays lr (a new SGD optimiser) while lr > min_lr, else stops. */
    private String plateauRule() {
        double gainPoints = 100.0 * (lastVal - prevVal);
        if (gainPoints >= schedule.minGain()) {
            return null;
        }
        if (lr > schedule.minLr()) {
            lr *= 0.1;
            momentum = schedule.plateauMomentum();
            state.resetOptimiser(); // a new optimiser object in the reference code
            trainer = new MlpTrainer(base.withMomentum(momentum), trainer.pass(), regularisation);
            return "lr_decay";
        }
        stopped = true;
        return "stop";
    }

    private String earlyStopping() {
        if (lastVal > bestVal) {
            bestVal = lastVal;
            sinceBest = 0;
            return null;
        }
        sinceBest++;
        if (schedule.patience() > 0 && sinceBest >= schedule.patience()) {
            stopped = true;
            return "stop";
        }
        return null;
    }

    private MlpPass.Score score(double[] x, int[] y, int n) {
        return trainer.pass().score(x, y, n, evalBatchSize);
    }
}
