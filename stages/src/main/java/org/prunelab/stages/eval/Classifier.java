package org.prunelab.stages.eval;

/**
 * The auxiliary classifier of rbm-dilution protocol §7.5: class probabilities p(y|x) for images given
 * as flat row-major rows of {@link #inputs()} values in [0, 1] (binary, or mean-field probabilities).
 */
public interface Classifier {
    int CLASSES = 10;

    /** Features per image (784 for MNIST). */
    int inputs();

    /** Row-major n x {@value #CLASSES}; each row is a probability vector. */
    double[] probabilities(double[] images, int n);

    /** Fraction of the n images whose most probable class (lowest index on ties) equals the label. */
    default double accuracy(double[] images, int[] labels, int n) {
        double[] p = probabilities(images, n);
        int correct = 0;
        for (int r = 0; r < n; r++) {
            if (argmax(p, r * CLASSES, CLASSES) == labels[r]) {
                correct++;
            }
        }
        return (double) correct / n;
    }

    /** Index (relative to {@code from}) of the largest of {@code len} values; the lowest on ties. */
    static int argmax(double[] x, int from, int len) {
        int best = 0;
        for (int k = 1; k < len; k++) {
            if (x[from + k] > x[from + best]) {
                best = k;
            }
        }
        return best;
    }
}
