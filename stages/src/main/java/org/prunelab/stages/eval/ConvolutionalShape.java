package org.prunelab.stages.eval;

/**
 * The layer sizes of the convolutional auxiliary classifier ({@link ConvolutionalClassifier}), a
 * LeNet-like network on one-channel rows × cols images:
 * <pre>
 *   conv 5×5 (pad 2) → ReLU → max-pool 2 → conv 5×5 (pad 2) → ReLU → max-pool 2 → dense → ReLU → dense → softmax
 * </pre>
 * The padding keeps each convolution's output the size of its input, so 28 × 28 digits become
 * 14 × 14 and then 7 × 7 maps.
 */
public record ConvolutionalShape(int rows, int cols, int channels1, int channels2, int hidden) {
    public static final int KERNEL = 5;
    public static final int PADDING = 2;

    public ConvolutionalShape {
        if (channels1 < 1 || channels2 < 1 || hidden < 1) {
            throw new IllegalArgumentException("the convolutional classifier needs channels and hidden units >= 1, got "
                    + channels1 + ", " + channels2 + ", " + hidden);
        }
        if (rows < 4 || cols < 4) {
            throw new IllegalArgumentException("the convolutional classifier pools twice by 2, so images need at least"
                    + " 4 x 4 pixels, got " + rows + " x " + cols);
        }
    }

    public int inputs() {
        return rows * cols;
    }

    /** Sides after the first pooling. */
    public int rows1() {
        return rows / 2;
    }

    public int cols1() {
        return cols / 2;
    }

    /** Sides after the second pooling. */
    public int rows2() {
        return rows1() / 2;
    }

    public int cols2() {
        return cols1() / 2;
    }

    /** Inputs of the first dense layer: channels2 × rows2 × cols2. */
    public int features() {
        return channels2 * rows2() * cols2();
    }

    /**
     * Lengths of the parameter arrays in their fixed order: conv1 weights (channels1 × 25), conv1
     * bias, conv2 weights (channels2 × channels1·25), conv2 bias, dense1 weights (features × hidden,
     * input-major), dense1 bias, dense2 weights (hidden × 10), dense2 bias.
     */
    public int[] parameterLengths() {
        int k2 = KERNEL * KERNEL;
        return new int[] {channels1 * k2, channels1, channels2 * channels1 * k2, channels2, features() * hidden, hidden,
                hidden * Classifier.CLASSES, Classifier.CLASSES};
    }

    /** Fan-in of each weight array (for He initialisation); 0 for biases. */
    int[] fanIns() {
        int k2 = KERNEL * KERNEL;
        return new int[] {k2, 0, channels1 * k2, 0, features(), 0, hidden, 0};
    }
}
