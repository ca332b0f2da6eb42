package org.prunelab.stages.data;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.config.ConfigException;

/**
 * The hold-out of a training split: the first {@code validation} images of a permutation fixed by a
 * split seed are validation, the rest training. The permutation depends only on the image count, the
 * seed and a purpose label (one per family, so two families with the same seed need not share
 * validation images), never on the pixels: every stage of a family that needs the split sees the
 * same images, and every candidate of a search is scored on the same ones.
 *
 * <p>The split is a list of source indices, so a family may transform each image as it copies it
 * ({@link #rows}) or copy images it has already transformed ({@link #gather}); either way row k of a
 * part is source image {@code rows(part)[k]}.
 */
public final class ValidationSplit {
    /** The two parts of the training split. */
    public enum Part { VALIDATION, TRAINING }

    private final int[] order;
    private final int validation;

    private ValidationSplit(int[] order, int validation) {
        this.order = order;
        this.validation = validation;
    }

    /**
     * The split of {@code n} training images with {@code validation} of them held out, the
     * permutation a Fisher–Yates shuffle from the stream derived from {@code splitSeed} and
     * {@code purpose}.
     *
     * @param validationKey the config key {@code validation} came from, named when it is refused
     * @throws ConfigException if {@code validation} is below 1 or leaves no image for training
     */
    public static ValidationSplit of(int n, int validation, long splitSeed, String purpose, String validationKey) {
        if (validation < 1) {
            throw new ConfigException(validationKey + ": " + validation + " validation images; at least 1 is needed");
        }
        if (validation >= n) {
            throw new ConfigException(validationKey + ": " + validation + " validation images leave none of the " + n
                    + " training images for training");
        }
        return new ValidationSplit(Seeds.permutation(n, new SplittableRandom(Seeds.derive(splitSeed, purpose))),
                validation);
    }

    public int count(Part part) {
        return part == Part.VALIDATION ? validation : order.length - validation;
    }

    /** The source indices of a part's images, in the order they are stored. */
    public int[] rows(Part part) {
        return part == Part.VALIDATION ? Arrays.copyOfRange(order, 0, validation)
                : Arrays.copyOfRange(order, validation, order.length);
    }

    /** A part's images, copied from row-major {@code images} of {@code features} values each. */
    public double[] gather(Part part, double[] images, int features) {
        int[] src = rows(part);
        double[] out = new double[src.length * features];
        for (int k = 0; k < src.length; k++) {
            System.arraycopy(images, src[k] * features, out, k * features, features);
        }
        return out;
    }

    /** A part's labels, picked from the labels of all training images. */
    public int[] gather(Part part, int[] labels) {
        int[] src = rows(part);
        int[] out = new int[src.length];
        for (int k = 0; k < src.length; k++) {
            out[k] = labels[src[k]];
        }
        return out;
    }
}
