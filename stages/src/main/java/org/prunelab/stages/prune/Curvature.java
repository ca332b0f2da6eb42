package org.prunelab.stages.prune;

/**
 * Second-order information about a model's masked groups that only its family can compute (it needs
 * the data and the forward pass), for the second-order pruning rules. Arrays use the group's layout:
 * rows are output units, columns are inputs (an MLP layer's out×in). Families compute only what is
 * asked for, so a method that needs one kind does not pay for the others.
 */
public interface Curvature {
    /** ∂²L/∂w² for every weight of group g, L the mean training loss (exact, not approximated). */
    double[] lossHessianDiagonal(int group);

    /** The empirical Fisher diagonal of group g: the mean over samples of (∂ℓ_n/∂w)² (OBD's cheap variant). */
    double[] fisherDiagonal(int group);

    /**
     * The second moment of group g's inputs, (1/n)·Σ_n x_n x_nᵀ, cols×cols row-major: the Hessian of the
     * layer-wise reconstruction error of every output unit of that group (L-OBS).
     */
    double[] inputSecondMoment(int group);
}
