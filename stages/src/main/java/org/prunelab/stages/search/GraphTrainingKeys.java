package org.prunelab.stages.search;

import org.prunelab.stages.config.ConfigKey;

/**
 * The training keys every graph-wired family of the search declares: {@code train.*} and the
 * validation split ({@code <split>.validation}, {@code <split>.split_seed}). Only defaults and the
 * split's section differ between families, so each family states just those.
 */
public record GraphTrainingKeys(ConfigKey<Integer> epochs, ConfigKey<Integer> batch, ConfigKey<Double> lr,
                                ConfigKey<Integer> evalBatch, ConfigKey<Integer> validation, ConfigKey<Long> splitSeed) {

    /**
     * @param splitSection      section of the validation keys (e.g. {@code cifar})
     * @param epochs            default of {@code train.epochs}
     * @param evalBatch         default of {@code train.eval_batch_size}
     * @param validation        default of {@code <splitSection>.validation}
     */
    public static GraphTrainingKeys of(String splitSection, int epochs, int evalBatch, int validation) {
        return new GraphTrainingKeys(
                ConfigKey.integer("train.epochs", epochs, 0, 10_000, "training epochs"),
                ConfigKey.integer("train.batch_size", 64, 1, 1_000_000, "mini-batch size"),
                ConfigKey.real("train.lr", 1e-3, 1e-9, 10.0, "Adam learning rate"),
                ConfigKey.integer("train.eval_batch_size", evalBatch, 1, 1_000_000,
                        "images per evaluation batch (no effect on results)"),
                ConfigKey.integer(splitSection + ".validation", validation, 1, 10_000_000,
                        "training images held out for validation, the search's fitness (the same split for every "
                                + "candidate)"),
                ConfigKey.longInt(splitSection + ".split_seed", 0L,
                        "seed of the train/validation split (not the run's seed: every candidate sees the same split)"));
    }
}
