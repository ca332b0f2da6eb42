package org.prunelab.stages.kernel;

import org.prunelab.stages.rbm.Rbm;

/**
 * The numeric hot paths; faster kernels replace these without touching the stages. Masked weights
 * are exactly 0, so a dense kernel is correct; a sparse one exploits the mask.
 *
 * <p>All arrays are row-major; {@code n} is the number of rows. Arrays may be longer than needed.
 * Implementations must be single-threaded and deterministic: the same inputs give bit-identical
 * outputs.
 */
public interface RbmKernel {
    /** out[r*nh+mu] = b[mu] + sum_i v[r*nv+i]*w[i*nh+mu]. */
    void hiddenPreActivation(Rbm rbm, double[] v, int n, double[] out);

    /** out[r*nv+i] = a[i] + sum_mu h[r*nh+mu]*w[i*nh+mu]. */
    void visiblePreActivation(Rbm rbm, double[] h, int n, double[] out);

    /** g[i*nh+mu] += alpha*sum_r v[r*nv+i]*h[r*nh+mu] where mask==1; untouched where mask==0. */
    void weightGradient(Rbm rbm, double[] v, double[] h, int n, double alpha, double[] g);

    String name();
}
