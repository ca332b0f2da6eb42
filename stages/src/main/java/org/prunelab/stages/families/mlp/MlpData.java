package org.prunelab.stages.families.mlp;

import java.io.IOException;
import java.util.Arrays;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.data.DatasetRef;
import org.prunelab.stages.data.ImageDataset;
import org.prunelab.stages.data.ValidationSplit;
import org.prunelab.stages.data.ValidationSplit.Part;

/**
 * The MLP's view of the data (protocol §2.1): grey-scale pixels normalised to (x/255 − 0.1307)/0.3081,
 * the training split shuffled with a fixed seed and divided into validation (the first
 * {@code validation} shuffled images) and training (the rest); the test set as loaded.
 *
 * <p>The two keys are absolute ({@code mlp.*}) and read by every MLP stage that needs the split, so
 * training, pruning and evaluation always see the same validation images.
 */
public record MlpData(int features, double[] trainX, int[] trainY, double[] valX, int[] valY, double[] testX,
                      int[] testY) {
    /** MNIST training-set mean and standard deviation of pixel/255 (protocol §2.1, PyTorch's usual constants). */
    public static final double MEAN = 0.1307, STD = 0.3081;

    /**
     * Default 1,000: the quick data set has 8,000 training images, and 1/8 held out matches the
     * paper's 10,000 of 60,000 in proportion (protocol §2.1); set 10000 at paper scale.
     */
    public static final ConfigKey<Integer> VALIDATION = ConfigKey.integer("mlp.validation", 1000, 1, 10_000_000,
            "training images held out for validation (first N after a seeded shuffle; paper: 10000 of 60000)");
    public static final ConfigKey<Long> SPLIT_SEED = ConfigKey.longInt("mlp.split_seed", 0L,
            "seed of the train/validation shuffle (protocol: 0); the same for every MLP stage");

    public int trainCount() {
        return trainY.length;
    }

    public int validationCount() {
        return valY.length;
    }

    public int testCount() {
        return testY.length;
    }

    /**
     * The split's shuffle ({@link ValidationSplit}, purpose {@code mlp/validation-split}) is not numpy's
     * or torch's permutation for seed 0 (their generators are not reproduced), but fixed by the seed and
     * identical in every stage.
     */
    public static MlpData load(DatasetRef ref, int validation, long splitSeed) throws IOException {
        ImageDataset train = ref.load("train");
        ImageDataset test = ref.load("test");
        int n = ref.trainCount();
        ValidationSplit split = ValidationSplit.of(n, validation, splitSeed, "mlp/validation-split", VALIDATION.name());
        int f = train.features();
        double[] all = normalised(train, n);
        int[] labels = Arrays.copyOf(train.labels(), n);
        int nTest = ref.testCount();
        int[] testY = new int[nTest];
        for (int i = 0; i < nTest; i++) {
            testY[i] = test.label(i);
        }
        return new MlpData(f, split.gather(Part.TRAINING, all, f), split.gather(Part.TRAINING, labels),
                split.gather(Part.VALIDATION, all, f), split.gather(Part.VALIDATION, labels), normalised(test, nTest), testY);
    }

    /** (pixel/255 − MEAN)/STD of the first {@code count} images. */
    public static double[] normalised(ImageDataset images, int count) {
        double[] x = images.toUnitInterval(count);
        for (int i = 0; i < x.length; i++) {
            x[i] = (x[i] - MEAN) / STD;
        }
        return x;
    }
}
