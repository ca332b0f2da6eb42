package org.prunelab.stages.families.rbm;

import java.util.List;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.kernel.MaskedDenseKernel;
import org.prunelab.stages.kernel.PrecisionKernels;
import org.prunelab.stages.kernel.Sampling;

/**
 * The training keys of one config section ({@code train}, {@code retrain}). Built in one place so
 * that every stage that trains with a section's settings (the train step itself, and the
 * {@code lth-iterative} prune arm that re-trains with {@code train.*}) declares identical keys: the
 * pipeline requires a key declared twice to agree, and both steps' identities then move together.
 */
public final class RbmTrainingKeys {
    /** Sentinel of {@code learning_rate_final}: no decay, the rate stays {@code learning_rate}. */
    public static final double SAME_AS_INITIAL = -1.0;

    public final String section;
    public final ConfigKey<String> algorithm;
    public final ConfigKey<Integer> k;
    public final ConfigKey<Integer> epochs;
    public final ConfigKey<Double> learningRate;
    public final ConfigKey<Double> learningRateFinal;
    public final ConfigKey<Double> momentumInitial;
    public final ConfigKey<Double> momentumFinal;
    public final ConfigKey<Integer> momentumSwitchEpoch;
    public final ConfigKey<Double> weightDecay;
    public final ConfigKey<Integer> batchSize;
    public final ConfigKey<Integer> chains;
    public final ConfigKey<String> chainInit;
    public final ConfigKey<String> kernel;
    public final ConfigKey<Integer> monitorSamples;
    public final ConfigKey<Integer> exactEvery;
    public final ConfigKey<Integer> decayStart;
    public final ConfigKey<Integer> convergenceWindow;
    public final ConfigKey<Double> convergenceThreshold;

    private RbmTrainingKeys(String section) {
        this.section = section;
        algorithm = ConfigKey.choice(section + ".algorithm", "pcd", List.of("cd", "pcd"),
                "contrastive divergence (chains restart at the batch) or persistent CD");
        k = ConfigKey.integer(section + ".k", 1, 1, 10_000, "Gibbs steps per update");
        epochs = ConfigKey.integer(section + ".epochs", 10, 0, 100_000, "passes over the training images");
        learningRate = ConfigKey.real(section + ".learning_rate", 0.01, 0.0, 10.0, "SGD step size");
        learningRateFinal = ConfigKey.real(section + ".learning_rate_final", SAME_AS_INITIAL, SAME_AS_INITIAL, 10.0,
                "step size of the last epoch, reached by linear decay (-1 = same as learning_rate: constant)");
        momentumInitial = ConfigKey.real(section + ".momentum_initial", 0.5, 0.0, 0.999,
                "momentum before momentum_switch_epoch");
        momentumFinal = ConfigKey.real(section + ".momentum_final", 0.9, 0.0, 0.999,
                "momentum from momentum_switch_epoch on");
        momentumSwitchEpoch = ConfigKey.integer(section + ".momentum_switch_epoch", 5, 0, 100_000,
                "epoch at which momentum switches to momentum_final");
        weightDecay = ConfigKey.real(section + ".weight_decay", 1e-4, 0.0, 1.0, "L2 weight decay (weights only)");
        batchSize = ConfigKey.integer(section + ".batch_size", 100, 1, 1_000_000, "images per update");
        chains = ConfigKey.integer(section + ".chains", 0, 0, 1_000_000,
                "persistent chains for PCD (0 = batch size)");
        chainInit = ConfigKey.choice(section + ".chain_init", "data", List.of("data", "noise", "keep"),
                "PCD chains start from random training images, uniform noise, or the upstream step's chains");
        kernel = ConfigKey.choice(section + ".kernel", "auto", List.of("auto", "dense", "sparse"),
                "numeric kernel; auto picks sparse for sparse masks");
        monitorSamples = ConfigKey.integer(section + ".monitor_samples", 500, 1, 1_000_000,
                "test (and train) images scored after every epoch");
        exactEvery = ConfigKey.integer(section + ".exact_every", 1, 1, 100_000,
                "epochs between per-epoch exact log-likelihoods (when evaluate.exact_max_units allows one; each"
                        + " enumerates 2^units states); the last epoch always has one");
        decayStart = ConfigKey.integer(section + ".learning_rate_decay_start", 0, 0, 100_000,
                "epoch from which the rate decays linearly to learning_rate_final (0 = from the start)");
        convergenceWindow = ConfigKey.integer(section + ".convergence_window", 5, 1, 100_000,
                "epochs over which the monitored test PLL must have settled (protocol §4 convergence)");
        convergenceThreshold = ConfigKey.real(section + ".convergence_threshold", 2.5, 1e-9, 1e9,
                "largest PLL range (nats) over the window, and |slope|*window, of a converged run (2.5: half the claims' 5-nat margin)");
    }

    public static RbmTrainingKeys of(String section) {
        return new RbmTrainingKeys(section);
    }

    /**
     * Every key, in the order the train stage has always declared them (later additions at the end).
     * {@code evaluate.exact_max_units} is shared with the evaluate step: the per-epoch exact
     * likelihood follows the same limit as the final one; {@code runtime.precision} is shared with the
     * MLP's training steps; {@code runtime.sampling} is the RBM training steps' own.
     */
    public List<ConfigKey<?>> keys() {
        return List.of(algorithm, k, epochs, learningRate, learningRateFinal, momentumInitial, momentumFinal,
                momentumSwitchEpoch, weightDecay, batchSize, chains, chainInit, kernel, monitorSamples, decayStart,
                convergenceWindow, convergenceThreshold, RbmEvaluateStage.EXACT_MAX_UNITS, PrecisionKernels.KEY,
                Sampling.KEY, exactEvery);
    }

    /** The kernel this section trains {@code layer} with: {@code kernel} in {@code runtime.precision}. */
    public MaskedDenseKernel kernel(StageConfig config, Rbm layer) {
        return PrecisionKernels.masked(layer, config.get(kernel), PrecisionKernels.of(config));
    }

    /** What the loop scores after each epoch: {@code monitor_samples} images, the exact likelihood's limit and cadence. */
    public RbmTrainingLoop.Monitoring monitoring(StageConfig config) {
        return new RbmTrainingLoop.Monitoring(config.get(monitorSamples), config.get(RbmEvaluateStage.EXACT_MAX_UNITS),
                config.get(exactEvery));
    }

    /** Where this section's Bernoulli draws come from ({@code runtime.sampling}). */
    public Sampling sampling(StageConfig config) {
        return Sampling.of(config);
    }

    /** The convergence criterion of this section (protocol §4). */
    public ConvergenceCriterion convergence(StageConfig config) {
        return new ConvergenceCriterion(config.get(convergenceWindow), config.get(convergenceThreshold));
    }

    /** Optimiser settings; PCD with {@code chains} = 0 uses one chain per batch row. */
    public TrainingSettings settings(StageConfig config) {
        int bs = config.get(batchSize);
        boolean pcd = config.get(algorithm).equals("pcd");
        int nChains = pcd ? (config.get(chains) == 0 ? bs : config.get(chains)) : 0;
        double lr = config.get(learningRate);
        double lrFinal = config.get(learningRateFinal);
        if (lrFinal != SAME_AS_INITIAL && lrFinal < 0.0) {
            throw new ConfigException(learningRateFinal.name() + ": must be >= 0 or -1 (same as learning_rate), got "
                    + lrFinal);
        }
        return new TrainingSettings(config.get(algorithm), config.get(k), lr, config.get(momentumInitial),
                config.get(momentumFinal), config.get(momentumSwitchEpoch), config.get(weightDecay), bs, nChains,
                lrFinal == SAME_AS_INITIAL ? lr : lrFinal, config.get(epochs), config.get(decayStart));
    }
}
