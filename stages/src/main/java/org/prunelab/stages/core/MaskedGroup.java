package org.prunelab.stages.core;

import java.util.List;
import org.prunelab.stages.kernel.MaskedDense;

/**
 * One named masked weight matrix of any model family: {@code rows × cols} weights, row-major, and
 * a 0/1 mask of the same layout. This is what pruning methods, mask statistics and optimisers see,
 * so none of them needs to know which family the weights belong to.
 *
 * <p>The arrays are adopted, not copied: a group is a view on the model's own arrays, and writing a
 * mask or a weight through it changes the model. Invariant (checked by the families' constructors):
 * where {@code mask == 0} the weight is exactly 0.0.
 *
 * <p>As a {@link MaskedDense} layer the rows are the inputs and the columns the outputs, so a group
 * laid out input-major (the RBM's, the toy family's) runs on the shared kernels as it is.
 */
public final class MaskedGroup implements MaskedDense {
    private final String name;
    private final int rows, cols;
    private final double[] weights;
    private final byte[] mask;

    public MaskedGroup(String name, int rows, int cols, double[] weights, byte[] mask) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("group '" + name + "': rows and cols must be positive, got "
                    + rows + "x" + cols);
        }
        if (weights.length != rows * cols || mask.length != rows * cols) {
            throw new IllegalArgumentException("group '" + name + "': " + rows + "x" + cols + " needs " + rows * cols
                    + " weights and mask entries, got " + weights.length + " and " + mask.length);
        }
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.weights = weights;
        this.mask = mask;
    }

    public String name() {
        return name;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    @Override
    public int inputs() {
        return rows;
    }

    @Override
    public int outputs() {
        return cols;
    }

    /** The live weight array (row-major). */
    @Override
    public double[] weights() {
        return weights;
    }

    /** The live mask array (row-major, 0 = pruned). */
    @Override
    public byte[] mask() {
        return mask;
    }

    public int size() {
        return mask.length;
    }

    /** Number of kept (unpruned) weights. */
    public int remaining() {
        int c = 0;
        for (byte m : mask) {
            c += m != 0 ? 1 : 0;
        }
        return c;
    }

    /** Total weights over all groups. */
    public static long totalSize(List<MaskedGroup> groups) {
        long n = 0;
        for (MaskedGroup g : groups) {
            n += g.size();
        }
        return n;
    }

    /** Kept weights over all groups. */
    public static long totalRemaining(List<MaskedGroup> groups) {
        long n = 0;
        for (MaskedGroup g : groups) {
            n += g.remaining();
        }
        return n;
    }
}
