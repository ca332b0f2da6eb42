package org.prunelab.stages.kernel;

/**
 * A float copy of a layer's double weights for the single-precision kernels, converted once and
 * reused until the owner says the weights changed ({@link #invalidate}) or a different weight array
 * is passed. Converting on every product would cost a pass over all weights per GEMM (three per
 * CD-1 update, twenty-one per PCD-10 update); the trainer instead invalidates once per update.
 *
 * <p>Rounding each weight to nearest is a pure function of the weights, so the copy, and every
 * product on it, is the same whenever it is rebuilt: a resumed training computes the same bits.
 * Pruned weights are exactly 0.0 and stay exactly 0.0f.
 */
final class WeightMirror {
    private double[] source;
    private float[] copy = new float[0];
    private boolean stale = true;

    /** The weights may have changed in place: the next {@link #of} converts them again. */
    void invalidate() {
        stale = true;
    }

    /** The float copy of {@code weights}, converted now if it is stale or was made from another array. */
    float[] of(double[] weights) {
        if (stale || weights != source || copy.length != weights.length) {
            if (copy.length != weights.length) {
                copy = new float[weights.length];
            }
            FloatConversion.narrow(weights, weights.length, copy);
            source = weights;
            stale = false;
        }
        return copy;
    }
}
