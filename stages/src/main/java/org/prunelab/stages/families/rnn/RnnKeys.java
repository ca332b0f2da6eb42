package org.prunelab.stages.families.rnn;

import java.util.List;
import org.prunelab.stages.config.ConfigKey;

/**
 * Config keys of the recurrent family (the Reber-grammar experiments). Data keys live in section
 * {@code data}, the architecture in {@code model}, training in {@code train} / {@code retrain} (one
 * {@link Training} bundle each), pruning in {@code prune}.
 */
final class RnnKeys {
    private RnnKeys() {
    }

    // --- data -------------------------------------------------------------------------------------------
    static final ConfigKey<String> SOURCE = ConfigKey.choice("data.source", "generate", List.of("generate", "csv"),
            "generate: the Reber task from its automaton; csv: train.csv and test.csv (string,valid) in data.reber_dir");
    static final ConfigKey<String> CSV_DIR = ConfigKey.location("data.reber_dir", "data/reber",
            "directory with train.csv and test.csv (header string,valid) for data.source=csv, e.g. the authors' files");
    static final ConfigKey<Integer> VALID = ConfigKey.integer("data.valid_strings", 12_500, 1, 10_000_000,
            "distinct valid strings to generate (authors: 12,500)");
    static final ConfigKey<Integer> FOREIGN = ConfigKey.integer("data.foreign_strings", 7_000, 0, 10_000_000,
            "invalid strings with letters outside {B,T,S,X,P,V,E} (authors: 7,000)");
    static final ConfigKey<Integer> BROKEN = ConfigKey.integer("data.broken_strings", 5_500, 0, 10_000_000,
            "invalid strings of Reber letters that break a transition (authors: 5,500)");
    static final ConfigKey<Integer> TRAIN_SIZE = ConfigKey.integer("data.train_size", 18_750, 1, 100_000_000,
            "strings in the training split; the rest is the test set (authors: 18,750 / 6,250)");
    static final ConfigKey<Integer> MIN_LENGTH = ConfigKey.integer("data.min_length", 10, 1, 1_000,
            "strings are regenerated until longer than this (10: the shortest has 11 symbols)");
    static final ConfigKey<Double> CORRUPTION = ConfigKey.real("data.corruption", 0.15, 1e-6, 1.0,
            "probability per symbol that an invalid string's walk emits a wrong symbol");
    static final ConfigKey<Long> DATA_SEED = ConfigKey.longInt("data.seed", 0L,
            "seed of the generated set and its split (fixed across model seeds)");

    // --- model ------------------------------------------------------------------------------------------
    static final ConfigKey<String> CELL = ConfigKey.choice("model.cell", "gru",
            List.of("rnn-tanh", "rnn-relu", "gru", "lstm"), "recurrent cell (PyTorch equations and gate order)");
    static final ConfigKey<Integer> EMBEDDING = ConfigKey.integer("model.embedding", 50, 1, 10_000,
            "embedding size of the 128 ASCII codes");
    static final ConfigKey<Integer> HIDDEN = ConfigKey.integer("model.hidden", 50, 1, 10_000, "units per recurrent layer");
    static final ConfigKey<Integer> LAYERS = ConfigKey.integer("model.layers", 3, 1, 100, "stacked recurrent layers");
    static final ConfigKey<String> READOUT = ConfigKey.choice("model.readout", "last-step",
            List.of("last-step", "last-symbol"),
            "last-step: the last step of the zero-padded batch (the authors'); last-symbol: each string's own end");

    // --- prune ------------------------------------------------------------------------------------------
    static final ConfigKey<Double> RATE = ConfigKey.real("prune.rate", 0.0, 0.0, 1.0,
            "fraction of the selected recurrent weights to prune, one shot from the trained model");
    static final ConfigKey<String> SELECTION = ConfigKey.choice("prune.selection", "i2h+h2h",
            List.of("i2h+h2h", "i2h", "h2h"),
            "which matrices of all recurrent layers are pooled for the threshold and pruned");
    static final ConfigKey<String> METHOD = ConfigKey.string("prune.method", "class-blinded",
            "pruning method from the registry (class-blinded: a numpy percentile of |w| over the pooled selection)");

    /** The training keys of one section ({@code train} or {@code retrain}). */
    static final class Training {
        final ConfigKey<Integer> epochs;
        final ConfigKey<Integer> batch;
        final ConfigKey<Double> learningRate;
        final ConfigKey<Double> clip;
        final ConfigKey<Integer> evalBatch;

        Training(String section, int defaultEpochs) {
            epochs = ConfigKey.integer(section + ".epochs", defaultEpochs, 0, 100_000,
                    "epochs of Adam (authors: 50 for the base model, 10 when retraining)");
            batch = ConfigKey.integer(section + ".batch_size", 32, 1, 1_000_000, "strings per update (authors: 32)");
            learningRate = ConfigKey.real(section + ".learning_rate", 1e-3, 1e-12, 10.0, "Adam step size (authors: 1e-3)");
            clip = ConfigKey.real(section + ".clip_norm", 5.0, 0.0, 1e9,
                    "gradient-norm clipping over all parameters (0 = off; authors: 5)");
            evalBatch = ConfigKey.integer(section + ".eval_batch_size", 32, 1, 1_000_000,
                    "strings per forward pass when scoring the test set (padding to the batch maximum makes it matter with readout last-step; default = the training batch)");
        }

        List<ConfigKey<?>> keys() {
            return List.of(epochs, batch, learningRate, clip, evalBatch);
        }
    }

    static List<ConfigKey<?>> dataKeys() {
        return List.of(SOURCE, CSV_DIR, VALID, FOREIGN, BROKEN, TRAIN_SIZE, MIN_LENGTH, CORRUPTION, DATA_SEED);
    }

    static List<ConfigKey<?>> modelKeys() {
        return List.of(CELL, EMBEDDING, HIDDEN, LAYERS, READOUT);
    }
}
