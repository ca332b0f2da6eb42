package org.prunelab.stages.eval;

import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.config.StageConfig;

/**
 * The convolutional classifier's settings as {@link ClassifierStage} reads them, checked across keys
 * (each key's own range is checked when the config is read): a step size meant for SGD would make
 * Adam diverge, augmentation only exists for the cnn, and the images must survive two poolings.
 */
record ConvolutionalSettings(ConvolutionalShape shape, int shift) {
    /** Adam's step sizes are ~1e-3; the SGD default 0.02 would blow the network up. */
    static final double MAX_ADAM_STEP = 0.01;

    /** Checks the keys that only make sense for some models; {@code source} names the config in errors. */
    static void checkModelKeys(StageConfig config, String source) {
        String model = config.get(ClassifierStage.MODEL);
        if (!model.equals("cnn") && config.get(ClassifierStage.SHIFT) != 0) {
            throw new ConfigException(source + ": classifier.shift = " + config.get(ClassifierStage.SHIFT)
                    + " augments the cnn's training only, but classifier.model is " + model + "; set it to 0 or use cnn");
        }
        if (model.equals("cnn") && config.get(ClassifierStage.LEARNING_RATE) > MAX_ADAM_STEP) {
            throw new ConfigException(source + ": classifier.learning_rate = " + config.get(ClassifierStage.LEARNING_RATE)
                    + " is an SGD step size; the cnn trains with Adam, which needs at most " + MAX_ADAM_STEP
                    + " (e.g. 0.001)");
        }
    }

    /** The cnn settings for rows × cols images. */
    static ConvolutionalSettings of(StageConfig config, int rows, int cols, String source) {
        checkModelKeys(config, source);
        int shift = config.get(ClassifierStage.SHIFT);
        if (shift >= Math.min(rows, cols)) {
            throw new ConfigException(source + ": classifier.shift = " + shift + " is not smaller than the " + rows + " x "
                    + cols + " images");
        }
        try {
            return new ConvolutionalSettings(new ConvolutionalShape(rows, cols, config.get(ClassifierStage.CONV1_CHANNELS),
                    config.get(ClassifierStage.CONV2_CHANNELS), config.get(ClassifierStage.HIDDEN)), shift);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": classifier.model = cnn does not fit these images: " + e.getMessage());
        }
    }
}
