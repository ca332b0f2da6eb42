package org.prunelab.stages.families.rbm;

import java.util.SplittableRandom;
import org.prunelab.stages.core.StableMath;
import org.prunelab.stages.prune.Masks;

/** Small random RBMs and data for tests. */
public final class TestRbms {
    private TestRbms() {
    }

    /** Random weights N(0, scale^2) and biases N(0, scale^2), with a random mask of the given sparsity. */
    public static Rbm random(int nv, int nh, double scale, double sparsity, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] mask = Masks.random(nv * nh, sparsity, rng);
        double[] w = new double[nv * nh];
        for (int j = 0; j < w.length; j++) {
            double x = scale * StableMath.gaussian(rng);
            w[j] = mask[j] != 0 ? x : 0.0;
        }
        double[] a = new double[nv];
        double[] b = new double[nh];
        for (int i = 0; i < nv; i++) {
            a[i] = scale * StableMath.gaussian(rng);
        }
        for (int mu = 0; mu < nh; mu++) {
            b[mu] = scale * StableMath.gaussian(rng);
        }
        return new Rbm(nv, nh, w, a, b, mask);
    }

    public static double[] binary(int n, int width, double pOn, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n * width];
        for (int j = 0; j < x.length; j++) {
            x[j] = rng.nextDouble() < pOn ? 1.0 : 0.0;
        }
        return x;
    }

    public static double[] uniform(int n, int width, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n * width];
        for (int j = 0; j < x.length; j++) {
            x[j] = rng.nextDouble();
        }
        return x;
    }

    /** −E(v, h) with v, h given as bit patterns, straight from the energy of spec §3. */
    public static double negEnergy(Rbm rbm, long vBits, long hBits) {
        double s = 0.0;
        for (int i = 0; i < rbm.nv; i++) {
            if ((vBits >>> i & 1) != 0) {
                s += rbm.a[i];
            }
        }
        for (int mu = 0; mu < rbm.nh; mu++) {
            if ((hBits >>> mu & 1) != 0) {
                s += rbm.b[mu];
            }
        }
        for (int i = 0; i < rbm.nv; i++) {
            for (int mu = 0; mu < rbm.nh; mu++) {
                if ((vBits >>> i & 1) != 0 && (hBits >>> mu & 1) != 0) {
                    s += rbm.mask[i * rbm.nh + mu] * rbm.w[i * rbm.nh + mu];
                }
            }
        }
        return s;
    }

    public static double logSumExp(double[] x) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            m = Math.max(m, v);
        }
        double s = 0.0;
        for (double v : x) {
            s += Math.exp(v - m);
        }
        return m + Math.log(s);
    }

    /** log Z by summing exp(−E) over every joint state (v, h). */
    public static double bruteLogZ(Rbm rbm) {
        int states = 1 << (rbm.nv + rbm.nh);
        double[] t = new double[states];
        for (int s = 0; s < states; s++) {
            t[s] = negEnergy(rbm, s & ((1L << rbm.nv) - 1), (long) s >>> rbm.nv);
        }
        return logSumExp(t);
    }

    /** log Σ_h exp(−E(v,h)) = −F(v) by brute force over h. */
    public static double bruteNegFreeEnergy(Rbm rbm, double[] v, int row) {
        long vBits = 0;
        for (int i = 0; i < rbm.nv; i++) {
            if (v[row * rbm.nv + i] != 0.0) {
                vBits |= 1L << i;
            }
        }
        double[] t = new double[1 << rbm.nh];
        for (int h = 0; h < t.length; h++) {
            t[h] = negEnergy(rbm, vBits, h);
        }
        return logSumExp(t);
    }

    /** Runs the RBM init stage with {@code hidden} hidden units on a load-data output; returns its output dir. */
    static java.nio.file.Path initStep(java.nio.file.Path root, java.nio.file.Path data, int hidden, long seed)
            throws Exception {
        RbmInitStage stage = new RbmInitStage("load-data");
        java.util.Map<String, Object> config = new java.util.HashMap<>(java.util.Map.of("model.hidden", hidden, "seed", seed,
                "init.weight_std", 0.1));
        return new org.prunelab.stages.TestStageContext(stage, "init", config, root.resolve("init"))
                .input("load-data", data).run(stage);
    }
}
