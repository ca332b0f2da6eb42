package org.prunelab.stages.families.graphffn;

import java.io.IOException;
import java.util.Arrays;
import org.prunelab.stages.data.DatasetRef;
import org.prunelab.stages.data.ImageDataset;
import org.prunelab.stages.data.ValidationSplit;
import org.prunelab.stages.data.ValidationSplit.Part;

/**
 * The images as the graph networks see them: pixel/255 standardised with the training split's
 * global mean and standard deviation (one scalar each, so Fashion-MNIST and MNIST need no
 * constants), and the training split divided into validation (the first {@code validation} images of
 * a permutation fixed by {@code splitSeed}, the same for every candidate of a search, so their
 * fitness compares) and training (the rest).
 */
record GraphFfnData(int features, int classes, double[] trainX, int[] trainY, double[] valX, int[] valY,
                    double[] testX, int[] testY) {

    int trainCount() {
        return trainY.length;
    }

    static GraphFfnData load(DatasetRef ref, int validation, long splitSeed, String validationKey) throws IOException {
        ImageDataset train = ref.load("train");
        ImageDataset test = ref.load("test");
        int n = ref.trainCount();
        ValidationSplit split = ValidationSplit.of(n, validation, splitSeed, "graph-ffn/validation-split", validationKey);
        int f = train.features();
        double[] all = train.toUnitInterval(n);
        double mean = 0;
        for (double v : all) {
            mean += v;
        }
        mean /= all.length;
        double var = 0;
        for (double v : all) {
            var += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(var / all.length);
        double scale = std > 0 ? 1.0 / std : 1.0;
        standardise(all, mean, scale);
        int[] labels = Arrays.copyOf(train.labels(), n);
        int nTest = ref.testCount();
        double[] testX = test.toUnitInterval(nTest);
        standardise(testX, mean, scale);
        int[] testY = new int[nTest];
        for (int i = 0; i < nTest; i++) {
            testY[i] = test.label(i);
        }
        return new GraphFfnData(f, ImageDataset.CLASSES, split.gather(Part.TRAINING, all, f),
                split.gather(Part.TRAINING, labels), split.gather(Part.VALIDATION, all, f),
                split.gather(Part.VALIDATION, labels), testX, testY);
    }

    private static void standardise(double[] x, double mean, double scale) {
        for (int i = 0; i < x.length; i++) {
            x[i] = (x[i] - mean) * scale;
        }
    }
}
