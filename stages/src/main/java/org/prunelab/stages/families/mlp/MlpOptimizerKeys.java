package org.prunelab.stages.families.mlp;

import java.util.List;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.kernel.PrecisionKernels;
import org.prunelab.stages.linalg.Precision;

/** The optimiser and batching keys of one config section, shared by the train and prune stages. */
public final class MlpOptimizerKeys {
    public final ConfigKey<String> optimizer;
    public final ConfigKey<Double> learningRate;
    public final ConfigKey<Double> momentum;
    public final ConfigKey<Double> beta1;
    public final ConfigKey<Double> beta2;
    public final ConfigKey<Double> epsilon;
    public final ConfigKey<Integer> batchSize;
    public final ConfigKey<Integer> evalBatchSize;
    public final ConfigKey<String> kernel;

    public MlpOptimizerKeys(String section) {
        optimizer = ConfigKey.choice(section + ".optimizer", "sgd", List.of("sgd", "adam"),
                "sgd (PyTorch SGD with momentum) or adam");
        learningRate = ConfigKey.real(section + ".learning_rate", 0.01, 0.0, 10.0, "step size (protocol §2.1: 0.01)");
        momentum = ConfigKey.real(section + ".momentum", 0.0, 0.0, 0.999, "SGD momentum μ: v = μ·v + g (protocol: 0)");
        beta1 = ConfigKey.real(section + ".adam_beta1", 0.9, 0.0, 0.999999, "Adam β1");
        beta2 = ConfigKey.real(section + ".adam_beta2", 0.999, 0.0, 0.999999999, "Adam β2");
        epsilon = ConfigKey.real(section + ".adam_epsilon", 1e-8, 1e-300, 1.0, "Adam ε");
        batchSize = ConfigKey.integer(section + ".batch_size", 64, 1, 1_000_000,
                "training images per update (protocol: 64); the last batch of an epoch may be smaller");
        evalBatchSize = ConfigKey.integer(section + ".eval_batch_size", 100, 1, 1_000_000,
                "images per forward pass when scoring validation and test sets (protocol: 100)");
        kernel = ConfigKey.choice(section + ".kernel", "auto", List.of("auto", "dense", "sparse"),
                "numeric kernel per layer; auto picks sparse for sparse layers");
    }

    public List<ConfigKey<?>> keys() {
        return List.of(optimizer, learningRate, momentum, beta1, beta2, epsilon, batchSize, evalBatchSize, kernel,
                PrecisionKernels.KEY);
    }

    /** {@code runtime.precision}: the arithmetic of the training passes' dense products (shared with the RBM). */
    public Precision precision(StageConfig config) {
        return PrecisionKernels.of(config);
    }

    public OptimizerSettings settings(StageConfig config) {
        return new OptimizerSettings(config.get(optimizer), config.get(momentum), config.get(beta1), config.get(beta2),
                config.get(epsilon));
    }
}
