package org.prunelab.stages.families.linreg;

import org.prunelab.stages.config.ConfigKey;

/** The toy family's config keys (section {@code linreg}). */
final class LinRegKeys {
    private LinRegKeys() {
    }

    static final ConfigKey<Integer> SAMPLES = ConfigKey.integer("linreg.samples", 240, 10, 1_000_000,
            "synthetic rows (the last quarter is the test set)");
    static final ConfigKey<Integer> FEATURES = ConfigKey.integer("linreg.features", 8, 1, 10_000, "input features");
    static final ConfigKey<Double> NOISE = ConfigKey.real("linreg.noise", 0.1, 0.0, 100.0, "std of the label noise");
    static final ConfigKey<Double> SPARSITY = ConfigKey.real("linreg.sparsity", 0.25, 0.0, 1.0,
            "fraction of weights pruned at init (registry method 'random')");
    static final ConfigKey<Integer> EPOCHS = ConfigKey.integer("linreg.epochs", 12, 0, 10_000, "training epochs");
    static final ConfigKey<Integer> BATCH = ConfigKey.integer("linreg.batch_size", 20, 1, 1_000_000, "rows per update");
    static final ConfigKey<Double> LEARNING_RATE = ConfigKey.real("linreg.learning_rate", 0.05, 1e-9, 10.0, "SGD step size");
    static final ConfigKey<Double> MOMENTUM = ConfigKey.real("linreg.momentum", 0.9, 0.0, 0.999, "SGD momentum");
}
