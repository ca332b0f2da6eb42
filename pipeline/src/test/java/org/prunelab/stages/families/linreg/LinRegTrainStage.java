package org.prunelab.stages.families.linreg;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.prunelab.stages.CommonKeys;
import org.prunelab.stages.Progress;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.core.CheckpointPolicy;
import org.prunelab.stages.core.EpochLoop;
import org.prunelab.stages.core.MetricsPolicy;
import org.prunelab.stages.core.Optimizers;
import org.prunelab.stages.core.ProgressPolicy;
import org.prunelab.stages.core.TrainingPosition;
import org.prunelab.stages.core.TrainingState;
import org.prunelab.stages.kernel.MaskedDenseKernels;

/**
 * train: mini-batch SGD with momentum on the mean squared error, entirely on the shared core: the
 * epoch loop, its checkpoint and metrics policies, the typed training state, the optimiser and the
 * masked dense kernel (forward for predictions, outer-product gradient).
 */
public final class LinRegTrainStage implements Stage {
    /** Test hook: throw after this many updates in this JVM (a simulated crash); negative = never. */
    public static final AtomicLong CRASH_AFTER_UPDATES = new AtomicLong(-1);
    /** Updates performed in this JVM, so a test can tell a resumed run from one that started over. */
    public static final AtomicLong UPDATES_RUN = new AtomicLong();
    /**
     * Test hook for a child JVM: milliseconds to sleep per update, so that training lasts long
     * enough to be killed at random moments (FaultInjectionTest). Sleeping changes no number.
     */
    static final long UPDATE_SLEEP_MS = Long.getLong("prunelab.test.linreg.update_sleep_ms", 0);
    /**
     * Test hook for a child JVM: training with this seed fails at once (a step that fails inside a
     * worker process of {@code sweep --jobs}, LocalJobsSweepTest); unset = never.
     */
    static final Long FAIL_SEED = Long.getLong("prunelab.test.linreg.fail_seed");

    private final String dataStep, initStep;

    LinRegTrainStage(String dataStep, String initStep) {
        this.dataStep = dataStep;
        this.initStep = initStep;
    }

    @Override
    public String kind() {
        return "linreg.train";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(CommonKeys.SEED, LinRegKeys.EPOCHS, LinRegKeys.BATCH, LinRegKeys.LEARNING_RATE,
                LinRegKeys.MOMENTUM);
    }

    @Override
    public void run(StageContext context) throws Exception {
        StageConfig config = context.config();
        if (FAIL_SEED != null && FAIL_SEED == config.get(CommonKeys.SEED).longValue()) {
            throw new IllegalStateException("simulated failure of the training with seed " + FAIL_SEED);
        }
        LinRegData data = LinRegData.read(context.inputDir(dataStep));
        LinRegModel model = LinRegModel.read(context.inputDir(initStep));
        int d = data.d();
        double[] velocityW = new double[d], velocityB = new double[1];
        TrainingState state = new TrainingState().add(model.weights()).add("bias", model.bias(), 1)
                .add("velocity.w", velocityW, d).add("velocity.b", velocityB, 1);
        TrainingPosition from = context.checkpoints().latest().map(state::restore).orElse(TrainingPosition.start());
        if (from.updates() > 0) {
            context.progress().log("resuming at epoch " + from.epoch() + ", batch " + from.batch());
        }
        Updates updates = new Updates(data, model, velocityW, velocityB, config);
        int epochs = config.get(LinRegKeys.EPOCHS);
        TrainingPosition end;
        try (Progress.Task task = context.progress().start(context.stepName(), (long) epochs * updates.batches(0),
                from.updates())) {
            EpochLoop loop = new EpochLoop(epochs, List.of(
                    new CheckpointPolicy(context.checkpoints(), 0, state.snapshot(Map::of)),
                    new MetricsPolicy(context.metrics(), ""), new ProgressPolicy(task, from.updates())));
            end = loop.run(updates, from);
        }
        LinRegModel.write(model, context.workDir());
        context.metrics().log("epochs_run", end.history().size());
    }

    /** The family's side of the epoch loop: one SGD update per batch, train MSE after each epoch. */
    private static final class Updates implements EpochLoop.Steps {
        private final LinRegData data;
        private final LinRegModel model;
        private final double[] velocityW, velocityB;
        private final long seed;
        private final int batchSize;
        private final double lr, momentum;
        private int[] order = new int[0];
        private int orderEpoch = -1;

        Updates(LinRegData data, LinRegModel model, double[] velocityW, double[] velocityB, StageConfig config) {
            this.data = data;
            this.model = model;
            this.velocityW = velocityW;
            this.velocityB = velocityB;
            this.seed = Seeds.derive(config.get(CommonKeys.SEED), "linreg.train");
            this.batchSize = config.get(LinRegKeys.BATCH);
            this.lr = config.get(LinRegKeys.LEARNING_RATE);
            this.momentum = config.get(LinRegKeys.MOMENTUM);
        }

        @Override
        public int batches(int epoch) {
            return data.trainCount() / batchSize;
        }

        @Override
        public void update(int epoch, int batch) {
            if (orderEpoch != epoch) { // the order of epoch e comes from stream (seed, e): exact on resume
                order = Seeds.permutation(data.trainCount(), Seeds.stream(seed, epoch));
                orderEpoch = epoch;
            }
            int d = data.d();
            double[] x = new double[batchSize * d];
            double[] residual = new double[batchSize];
            for (int r = 0; r < batchSize; r++) {
                System.arraycopy(data.x(), order[batch * batchSize + r] * d, x, r * d, d);
            }
            model.predict(x, batchSize, residual);
            double gradB = 0.0;
            for (int r = 0; r < batchSize; r++) {
                residual[r] -= data.y()[order[batch * batchSize + r]];
                gradB += 2.0 * residual[r] / batchSize;
            }
            double[] gradW = new double[d];
            MaskedDenseKernels.dense().outerGradient(model.weights(), x, residual, batchSize, 2.0 / batchSize, gradW);
            Optimizers.sgd(model.weights().weights(), gradW, velocityW, model.weights().mask(), momentum, lr);
            Optimizers.sgd(model.bias(), new double[] {gradB}, velocityB, null, momentum, lr);
            if (UPDATE_SLEEP_MS > 0) {
                try {
                    Thread.sleep(UPDATE_SLEEP_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (UPDATES_RUN.incrementAndGet() == CRASH_AFTER_UPDATES.get()) {
                throw new IllegalStateException("simulated crash after " + UPDATES_RUN.get() + " updates");
            }
        }

        @Override
        public Map<String, Object> evaluate(int epoch) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", epoch);
            row.put("train_mse", model.mse(data, 0, data.trainCount()));
            return row;
        }
    }
}
