package org.prunelab.stages.families.mlp;

import java.io.IOException;
import java.util.SplittableRandom;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.data.DatasetRef;
import org.prunelab.stages.data.ImageDataset;

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

    public static MlpData load(DatasetRef ref, int validation, long splitSeed) throws IOException {
        ImageDataset train = ref.load("train");
        ImageDataset test = ref.load("test");
        int n = ref.trainCount();
        if (validation >= n) {
            throw new ConfigException(VALIDATION.name() + ": " + validation + " validation images leave none of the "
                    + n + " training images for training");
        }
        int[] order = splitOrder(n, splitSeed);
        int f = train.features();
        double[] all = normalised(train, n);
        int nTrain = n - validation;
        double[] valX = new double[validation * f];
        int[] valY = new int[validation];
        double[] trainX = new double[nTrain * f];
        int[] trainY = new int[nTrain];
        for (int k = 0; k < n; k++) {
            int src = order[k];
            if (k < validation) {
                System.arraycopy(all, src * f, valX, k * f, f);
                valY[k] = train.label(src);
            } else {
                System.arraycopy(all, src * f, trainX, (k - validation) * f, f);
                trainY[k - validation] = train.label(src);
            }
        }
        int nTest = ref.testCount();
        int[] testY = new int[nTest];
        for (int i = 0; i < nTest; i++) {
            testY[i] = test.label(i);
        }
        return new MlpData(f, trainX, trainY, valX, valY, normalised(test, nTest), testY);
    }

    /**
     * The shuffle of the training split: a Fisher–Yates permutation from a stream derived from the
     * split seed. Not numpy's or torch's permutation for seed 0 (their generators are not
     * reproduced), but fixed by the seed and identical in every stage.
     */
    public static int[] splitOrder(int n, long splitSeed) {
        return Seeds.permutation(n, new SplittableRandom(Seeds.derive(splitSeed, "mlp/validation-split")));
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
