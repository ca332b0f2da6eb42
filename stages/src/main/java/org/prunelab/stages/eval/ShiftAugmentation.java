package org.prunelab.stages.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Light augmentation for the convolutional classifier: every training image is moved by a random
 * whole-pixel shift (dy, dx), each uniform in [−max, max], with the uncovered border set to 0
 * (background). Binary images stay binary, so the classifier still trains on the kind of images it
 * scores. The shift of an image is drawn from the epoch's stream in visiting order, so a seed
 * fixes every shift.
 */
final class ShiftAugmentation {
    private final int rows, cols, max;

    ShiftAugmentation(int rows, int cols, int max) {
        if (max < 0 || max >= Math.min(rows, cols)) {
            throw new IllegalArgumentException("augmentation shift must be in [0, " + (Math.min(rows, cols) - 1)
                    + "] for " + rows + " x " + cols + " images, got " + max);
        }
        this.rows = rows;
        this.cols = cols;
        this.max = max;
    }

    /** Copies the image at {@code from} of src to {@code to} of dst, shifted by a draw from rng. */
    void copyShifted(double[] src, int from, double[] dst, int to, SplittableRandom rng) {
        if (max == 0) {
            System.arraycopy(src, from, dst, to, rows * cols);
            return;
        }
        int dy = rng.nextInt(2 * max + 1) - max;
        int dx = rng.nextInt(2 * max + 1) - max;
        shift(src, from, dst, to, dy, dx);
    }

    /** dst(y, x) = src(y − dy, x − dx), 0 where that falls outside the image. */
    void shift(double[] src, int from, double[] dst, int to, int dy, int dx) {
        Arrays.fill(dst, to, to + rows * cols, 0.0);
        int x0 = Math.max(0, dx), x1 = Math.min(cols, cols + dx);
        for (int y = Math.max(0, dy); y < Math.min(rows, rows + dy); y++) {
            System.arraycopy(src, from + (y - dy) * cols + (x0 - dx), dst, to + y * cols + x0, x1 - x0);
        }
    }
}
