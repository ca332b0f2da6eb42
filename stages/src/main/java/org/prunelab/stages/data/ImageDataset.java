package org.prunelab.stages.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Labelled grey-scale images held as raw unsigned bytes, row-major, one image after another.
 *
 * <p>Immutable: the constructor and the array accessors copy, so no caller can change a dataset
 * another stage is reading. The per-pixel accessors and the conversion helpers read the internal
 * arrays directly and are the cheap way in.
 */
public final class ImageDataset {
    /** Labels are class indices 0..CLASSES-1 (digits, or the ten Fashion-MNIST classes). */
    public static final int CLASSES = 10;

    private final byte[] pixels;
    private final int[] labels;
    private final int rows;
    private final int cols;
    private final String source;

    public ImageDataset(byte[] pixels, int[] labels, int rows, int cols, String source) {
        this(rows, cols, Objects.requireNonNull(pixels, "pixels").clone(),
                Objects.requireNonNull(labels, "labels").clone(), source);
    }

    /**
     * Takes ownership of freshly built arrays without copying them (a training set is ~47 MB).
     * Only for readers in this package that never touch the arrays again.
     */
    static ImageDataset adopt(byte[] pixels, int[] labels, int rows, int cols, String source) {
        return new ImageDataset(rows, cols, pixels, labels, source);
    }

    /** Validates and keeps the given arrays as they are (argument order differs only to tell it apart). */
    private ImageDataset(int rows, int cols, byte[] pixels, int[] labels, String source) {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + rows + "x" + cols);
        }
        if ((long) labels.length * rows * cols != pixels.length) {
            throw new IllegalArgumentException(labels.length + " labels of " + rows + "x" + cols
                    + " images need " + (long) labels.length * rows * cols + " pixels, got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= CLASSES) {
                throw new IllegalArgumentException("label " + labels[i] + " at index " + i + " is outside 0.." + (CLASSES - 1));
            }
        }
        this.pixels = pixels;
        this.labels = labels;
        this.rows = rows;
        this.cols = cols;
        this.source = Objects.requireNonNull(source, "source");
    }

    public int count() {
        return labels.length;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int features() {
        return rows * cols;
    }

    /** A copy of all pixels (count·features unsigned bytes). */
    public byte[] pixels() {
        return pixels.clone();
    }

    /** A copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    public int label(int image) {
        return labels[image];
    }

    /** Pixel {@code feature} (row-major index) of {@code image}, as 0..255. */
    public int pixel(int image, int feature) {
        if (feature < 0 || feature >= features()) {
            throw new IndexOutOfBoundsException("feature " + feature + " of " + features());
        }
        return Byte.toUnsignedInt(pixels[image * features() + feature]);
    }

    /** Where the data came from (file names), for messages and run metadata. */
    public String source() {
        return source;
    }

    /** Pixels of the first {@code limit} images scaled to [0,1] (pixel/255), flat, row-major. */
    public double[] toUnitInterval(int limit) {
        int n = checkedLimit(limit) * features();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Byte.toUnsignedInt(pixels[i]) / 255.0;
        }
        return out;
    }

    /**
     * Pixels of the first {@code limit} images as 0/1: 1.0 where pixel/255 is strictly greater than
     * {@code threshold}. Strict so that threshold 0 keeps exactly the non-black pixels.
     */
    public double[] binarize(double threshold, int limit) {
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold is NaN");
        }
        int n = checkedLimit(limit) * features();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Byte.toUnsignedInt(pixels[i]) / 255.0 > threshold ? 1.0 : 0.0;
        }
        return out;
    }

    /** Mean of each pixel (in [0,1]) over the first {@code limit} images; e.g. for visible biases. */
    public double[] pixelMeans(int limit) {
        int n = checkedLimit(limit);
        int f = features();
        double[] sums = new double[f];
        for (int i = 0; i < n; i++) {
            int base = i * f;
            for (int j = 0; j < f; j++) {
                sums[j] += Byte.toUnsignedInt(pixels[base + j]);
            }
        }
        for (int j = 0; j < f; j++) {
            sums[j] = n == 0 ? 0.0 : sums[j] / (255.0 * n);
        }
        return sums;
    }

    /** The first {@code n} images (all of them if {@code n >= count()}). */
    public ImageDataset head(int n) {
        int k = checkedLimit(n);
        if (k == count()) {
            return this;
        }
        return adopt(Arrays.copyOf(pixels, k * features()), Arrays.copyOf(labels, k), rows, cols,
                source + " (first " + k + ")");
    }

    /** How many images of each class, index = label. */
    public int[] classCounts() {
        int[] counts = new int[CLASSES];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** A limit larger than the dataset means "all": configs can ask for 60000 of a 10000-image set. */
    private int checkedLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        return Math.min(limit, count());
    }

    @Override
    public String toString() {
        return "ImageDataset[" + count() + " images " + rows + "x" + cols + " from " + source + "]";
    }
}
