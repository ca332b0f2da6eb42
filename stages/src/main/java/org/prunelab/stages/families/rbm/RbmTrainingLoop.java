package org.prunelab.stages.families.rbm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.prunelab.stages.MetricSink;
import org.prunelab.stages.Progress;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.core.CheckpointPolicy;
import org.prunelab.stages.core.EpochLoop;
import org.prunelab.stages.core.MetricsPolicy;
import org.prunelab.stages.core.TrainingPolicy;
import org.prunelab.stages.core.TrainingPosition;
import org.prunelab.stages.core.TrainingState;
import org.prunelab.stages.io.Checkpoint;
import org.prunelab.stages.io.CheckpointStore;
import org.prunelab.stages.kernel.MaskedDenseKernel;
import org.prunelab.stages.kernel.Sampling;

/**
 * The epoch loop of RBM training, with checkpoints, shared by the train step and the
 * {@code lth-iterative} prune arm (protocol §5 P1), so both resume the same way.
 *
 * <p>Exact resume: the data order of epoch e is drawn from stream (seed, e) and the noise of update
 * (e, b) from stream (seed, e, b), or with {@code runtime.sampling: counter} from the counter
 * generator keyed by seed at (e, b), so no generator state needs saving. A checkpoint (weights, mask,
 * momentum, persistent chains, position, metric history) can therefore be taken after any update,
 * and a run killed at any point and restarted ends bit-identical to an uninterrupted one (protocol §4
 * "A checkpoint holds ...").
 *
 * <p>A caller that runs several loops in one step (rounds) passes a {@code positionOffset} so that
 * checkpoint positions keep increasing across loops, and {@code extraState} that it needs back on
 * resume (e.g. the round number).
 */
public final class RbmTrainingLoop {
    private final RbmTrainer trainer;
    private final long seed;
    private final int epochs;
    private final Monitoring monitoring;
    private final Sampling sampling;

    /**
     * What is scored after every epoch.
     *
     * @param samples       test and train images scored
     * @param exactMaxUnits the exact log-likelihood is logged when the smaller layer has at most this many
     *                      units ({@code evaluate.exact_max_units}; 0 = never)
     * @param exactEvery    ... every this many epochs and at the last one ({@code train.exact_every}): each
     *                      enumerates 2^units states, seconds at 16 units, more than the epoch's training
     */
    public record Monitoring(int samples, int exactMaxUnits, int exactEvery) {
        public Monitoring {
            if (exactEvery < 1) {
                throw new IllegalArgumentException("exactEvery must be >= 1, got " + exactEvery);
            }
        }

        boolean exactAt(int epoch, int epochs) {
            return exactMaxUnits > 0 && (epoch % exactEvery == 0 || epoch == epochs);
        }
    }

    /** @param seed the derived seed of this training (streams (seed, e) and (seed, e, b)) */
    public RbmTrainingLoop(RbmTrainer trainer, long seed, int epochs, int monitorSamples, int exactMaxUnits) {
        this(trainer, seed, epochs, new Monitoring(monitorSamples, exactMaxUnits, 1), Sampling.SEQUENTIAL);
    }

    /**
     * As above, with the Bernoulli draws of {@code sampling} ({@code runtime.sampling}): sequential
     * stream (seed, e, b), or the counter generator keyed by seed at update (e, b).
     */
    public RbmTrainingLoop(RbmTrainer trainer, long seed, int epochs, Monitoring monitoring, Sampling sampling) {
        this.trainer = trainer;
        this.seed = seed;
        this.epochs = epochs;
        this.monitoring = monitoring;
        this.sampling = sampling;
    }

    /** Where a training stands: the optimiser state, the next (epoch, batch), updates done, metric history. */
    public static final class Run {
        public final RbmTrainer.State state;
        public final int epoch;
        public final int batch;
        public final long updates;
        public final List<Map<String, Object>> history;

        Run(RbmTrainer.State state, int epoch, int batch, long updates, List<Map<String, Object>> history) {
            this.state = state;
            this.epoch = epoch;
            this.batch = batch;
            this.updates = updates;
            this.history = history;
        }

        /** A training that has not started. */
        public static Run start(RbmTrainer.State state) {
            return new Run(state, 0, 0, 0, new ArrayList<>());
        }

        /** A training restored from one of this loop's checkpoints. */
        public static Run fromCheckpoint(Checkpoint c, int nv, int nh) {
            Rbm rbm = new Rbm(nv, nh, c.doubles("w"), c.doubles("a"), c.doubles("b"), c.bytes("mask"));
            RbmTrainer.State state = new RbmTrainer.State(rbm, c.doubles("vel_w"), c.doubles("vel_a"),
                    c.doubles("vel_b"), c.doubles("chains"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> saved = (List<Map<String, Object>>) c.state().get("history");
            return new Run(state, ((Number) c.state().get("epoch")).intValue(),
                    ((Number) c.state().get("batch")).intValue(), ((Number) c.state().get("updates")).longValue(),
                    new ArrayList<>(saved));
        }
    }

    /**
     * A fresh state: zero momentum; PCD chains from random training images (stream (seed, −1)), or,
     * with {@code chainInit} "noise", uniform binary noise (stream (seed, −2)). "keep" starts like
     * "data"; the caller then copies the kept chains in.
     */
    public RbmTrainer.State freshState(Rbm start, double[] train, int n, String chainInit) {
        RbmTrainer.State state = trainer.initialState(start, train, n, Seeds.stream(seed, -1));
        if (state.chains.length > 0 && chainInit.equals("noise")) {
            SplittableRandom rng = Seeds.stream(seed, -2);
            for (int i = 0; i < state.chains.length; i++) {
                state.chains[i] = rng.nextBoolean() ? 1.0 : 0.0;
            }
        }
        return state;
    }

    /** Updates done by a complete training on {@code n} images (for position offsets). */
    public long totalUpdates(int n) {
        return (long) epochs * (n / trainer.settings().batchSize());
    }

    /**
     * Trains from {@code run} to the last epoch, checkpointing into {@code checkpoints} when due and
     * at every epoch end; logs every epoch's monitor metrics as {@code metricPrefix + name} with step
     * epoch + 1. Returns the finished run (its state is updated in place).
     */
    public Run train(Run run, double[] train, int n, double[] test, int testCount, CheckpointStore checkpoints,
                     long positionOffset, Map<String, Object> extraState, MetricSink metrics, String metricPrefix,
                     Progress.Task task) throws Exception {
        RbmTrainer.State state = run.state;
        int monitor = Math.min(monitoring.samples(), Math.min(n, testCount));
        Updates updates = new Updates(state, train, n, test, monitor, metrics, metricPrefix, task);
        EpochLoop loop = new EpochLoop(epochs, List.of(new MetricsPolicy(metrics, metricPrefix), updates,
                new CheckpointPolicy(checkpoints, positionOffset, trainingState(state).snapshot(() -> extraState))));
        TrainingPosition end = loop.run(updates, new TrainingPosition(run.epoch, run.batch, run.updates, run.history));
        return new Run(state, end.epoch(), 0, end.updates(), new ArrayList<>(end.history()));
    }

    /** The tensors of an exact resume, under the names {@link Run#fromCheckpoint} reads. */
    private static TrainingState trainingState(RbmTrainer.State s) {
        Rbm r = s.rbm;
        return new TrainingState().add("w", r.w, r.nv, r.nh).add("a", r.a, r.nv).add("b", r.b, r.nh)
                .add("mask", r.mask, r.nv, r.nh).add("vel_w", s.velW, r.nv, r.nh).add("vel_a", s.velA, r.nv)
                .add("vel_b", s.velB, r.nh).add("chains", s.chains, s.chains.length);
    }

    /** The RBM's side of the core loop: one CD/PCD update per batch, the monitor metrics per epoch. */
    private final class Updates implements EpochLoop.Steps, TrainingPolicy {
        private final RbmTrainer.State state;
        private final double[] train, test, batch;
        private final int n, monitor;
        private final MetricSink metrics;
        private final String prefix;
        private final Progress.Task task;
        private long epochStart;

        Updates(RbmTrainer.State state, double[] train, int n, double[] test, int monitor, MetricSink metrics,
                String prefix, Progress.Task task) {
            this.state = state;
            this.train = train;
            this.n = n;
            this.test = test;
            this.monitor = monitor;
            this.metrics = metrics;
            this.prefix = prefix;
            this.task = task;
            this.batch = new double[trainer.settings().batchSize() * state.rbm.nv];
        }

        @Override
        public int batches(int epoch) {
            return n / trainer.settings().batchSize();
        }

        @Override
        public void update(int epoch, int b) {
            int nv = state.rbm.nv, bs = trainer.settings().batchSize();
            if (b == 0 || epochStart == 0) {
                epochStart = System.nanoTime();
            }
            // The order of epoch e is stream (seed, e): recomputed per batch, it needs no state on resume.
            int[] order = orderOf(epoch);
            for (int r = 0; r < bs; r++) {
                System.arraycopy(train, order[b * bs + r] * nv, batch, r * nv, nv);
            }
            // The draws of update (e, b) derive from (seed, e, b) only: a resume needs no generator state.
            trainer.update(state, batch, bs, epoch, UpdateNoise.of(sampling, seed, epoch, b));
            task.step(1);
        }

        private int[] cachedOrder = new int[0];
        private int cachedEpoch = -1;

        private int[] orderOf(int epoch) {
            if (cachedEpoch != epoch) {
                cachedOrder = Seeds.permutation(n, Seeds.stream(seed, epoch));
                cachedEpoch = epoch;
            }
            return cachedOrder;
        }

        @Override
        public Map<String, Object> evaluate(int epoch) {
            return epochMetrics(state.rbm, trainer.kernel(), train, test, monitor, epoch,
                    monitoring.exactAt(epoch, epochs) ? monitoring.exactMaxUnits() : 0);
        }

        @Override
        public Decision afterEpoch(TrainingPosition at, Map<String, Object> row) {
            metrics.log(prefix + "epoch_seconds", (System.nanoTime() - epochStart) / 1e9, at.epoch());
            epochStart = 0;
            task.message(String.format(Locale.ROOT, "%sepoch %d: pll %.2f, recon %.4f", prefix, at.epoch(),
                    ((Number) row.get("pll")).doubleValue(), ((Number) row.get("recon_error")).doubleValue()));
            return Decision.CONTINUE;
        }
    }

    private static Map<String, Object> epochMetrics(Rbm rbm, MaskedDenseKernel kernel, double[] train, double[] test,
                                                    int monitor, int epoch, int exactMaxUnits) { // 0: not this epoch
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", epoch);
        row.put("recon_error", RbmMetrics.reconstructionError(rbm, kernel, test, monitor));
        row.put("pll", RbmMetrics.pseudoLogLikelihood(rbm, test, monitor));
        row.put("free_energy_gap", RbmMetrics.meanFreeEnergy(rbm, kernel, test, monitor)
                - RbmMetrics.meanFreeEnergy(rbm, kernel, train, monitor));
        if (exactMaxUnits > 0 && RbmMetrics.exactFeasible(rbm, exactMaxUnits)) {
            row.put("exact_ll", RbmMetrics.logLikelihoodExact(rbm, kernel, test, monitor));
        }
        row.put("sparsity", rbm.sparsity());
        return row;
    }
}
