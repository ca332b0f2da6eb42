package org.prunelab.stages.recurrent;

import java.util.Arrays;
import org.prunelab.stages.core.MaskedGroup;

/**
 * One named tensor of a model with its gradient and, if prunable, its 0/1 mask (same row-major
 * layout). Invariant: wherever the mask is 0 the value is exactly 0.0 and the gradient is 0.0, so a
 * dense product is the masked product and no optimiser can revive a pruned weight.
 */
public final class Parameter {
    private final String name;
    private final int rows;
    private final int cols;
    private final double[] value;
    private final double[] grad;
    private byte[] mask;

    Parameter(String name, int rows, int cols, boolean prunable) {
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.value = new double[rows * cols];
        this.grad = new double[rows * cols];
        if (prunable) {
            mask = new byte[rows * cols];
            Arrays.fill(mask, (byte) 1);
        }
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

    public int size() {
        return value.length;
    }

    /** The live values (written by optimisers and loaders). */
    public double[] value() {
        return value;
    }

    public double[] grad() {
        return grad;
    }

    public boolean prunable() {
        return mask != null;
    }

    /** The live mask, or null if the parameter is never pruned (embeddings, biases, output layer). */
    public byte[] mask() {
        return mask;
    }

    /** This prunable parameter as a masked group (a view: pruning methods see the live arrays). */
    public MaskedGroup group() {
        if (mask == null) {
            throw new IllegalStateException(name + " is not prunable");
        }
        return new MaskedGroup(name, rows, cols, value, mask);
    }

    /** Replaces the mask and zeroes the values it prunes. */
    public void setMask(byte[] newMask) {
        if (mask == null) {
            throw new IllegalStateException(name + " is not prunable");
        }
        if (newMask.length != value.length) {
            throw new IllegalArgumentException(name + ": mask has " + newMask.length + " entries, parameter "
                    + value.length);
        }
        for (int i = 0; i < newMask.length; i++) {
            if (newMask[i] != 0 && newMask[i] != 1) {
                throw new IllegalArgumentException(name + ": mask[" + i + "] = " + newMask[i] + " is not 0/1");
            }
        }
        mask = newMask.clone();
        applyMask();
    }

    /** Zeroes pruned values and their gradients (after a load or an update). */
    public void applyMask() {
        if (mask == null) {
            return;
        }
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] == 0) {
                value[i] = 0.0;
                grad[i] = 0.0;
            }
        }
    }

    /** Number of weights the mask keeps (all entries if not prunable). */
    public int kept() {
        if (mask == null) {
            return value.length;
        }
        int n = 0;
        for (byte m : mask) {
            n += m;
        }
        return n;
    }

    void zeroGrad() {
        Arrays.fill(grad, 0.0);
    }

    /** Masks the accumulated gradient: pruned weights get exactly 0. */
    void maskGrad() {
        if (mask != null) {
            for (int i = 0; i < mask.length; i++) {
                if (mask[i] == 0) {
                    grad[i] = 0.0;
                }
            }
        }
    }
}
