package org.prunelab.stages.kernel;

/**
 * A masked dense layer as the kernels see it, whatever model it belongs to: an
 * {@code inputs × outputs} weight matrix W, row-major (the weight from input i to output k sits at
 * {@code i*outputs + k}), and a 0/1 mask M of the same layout. Invariant: wherever M is 0 the weight
 * is exactly 0.0, so a dense product over W equals the product over W ⊙ M.
 *
 * <p>An RBM is one such layer (visible → hidden); a feed-forward, recurrent or graph-structured
 * layer is another. Biases are not part of it: each kernel call takes the bias of its direction.
 */
public interface MaskedDense {
    int inputs();

    int outputs();

    /** The live weights (not a copy: training updates them in place between kernel calls). */
    double[] weights();

    /** The live mask (not a copy). */
    byte[] mask();
}
