package org.prunelab.stages.families.rbm;

import java.util.SplittableRandom;
import org.prunelab.stages.core.StableMath;
import org.prunelab.stages.kernel.MaskedDenseKernel;

/** Generation for evaluation (protocol §4 "Sampling for evaluation"). */
public final class RbmSampler {
    private RbmSampler() {
    }

    /** Independent Gibbs chains from uniform random visibles, `sweeps` alternating sweeps; returns final binary v (chains*nv). */
    public static double[] sample(Rbm rbm, MaskedDenseKernel kernel, int chains, int sweeps, SplittableRandom rng) {
        return sample(rbm, kernel, chains, sweeps, rng, false);
    }

    /**
     * As {@link #sample(Rbm, MaskedDenseKernel, int, int, SplittableRandom)}; with {@code meanFieldLast} the
     * last sweep returns p(v|h) instead of a binary draw (protocol §4 {@code sample.kind}). Both variants
     * consume the same random stream up to the last visible step. One sweep = h ~ p(h|v), then
     * v ~ p(v|h), for all chains at once (row-major draw order).
     */
    public static double[] sample(Rbm rbm, MaskedDenseKernel kernel, int chains, int sweeps, SplittableRandom rng,
            boolean meanFieldLast) {
        if (chains < 1 || sweeps < 0) {
            throw new IllegalArgumentException("need chains >= 1 and sweeps >= 0, got " + chains + ", " + sweeps);
        }
        int nv = rbm.nv, nh = rbm.nh;
        double[] v = new double[chains * nv];
        for (int j = 0; j < v.length; j++) {
            v[j] = rng.nextDouble() < 0.5 ? 1.0 : 0.0;
        }
        double[] h = new double[chains * nh];
        double[] p = new double[chains * nv];
        for (int sweep = 0; sweep < sweeps; sweep++) {
            kernel.forward(rbm, rbm.b, v, chains, h);
            StableMath.sigmoidInPlace(h, h.length);
            StableMath.bernoulli(h, h.length, rng, h);
            kernel.transposed(rbm, rbm.a, h, chains, p);
            StableMath.sigmoidInPlace(p, p.length);
            if (meanFieldLast && sweep == sweeps - 1) {
                return p;
            }
            StableMath.bernoulli(p, p.length, rng, v);
        }
        return v;
    }
}
