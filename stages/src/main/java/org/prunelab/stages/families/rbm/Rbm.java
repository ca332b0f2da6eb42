package org.prunelab.stages.families.rbm;

import java.util.SplittableRandom;
import org.prunelab.stages.core.MaskedGroup;
import org.prunelab.stages.core.StableMath;
import org.prunelab.stages.kernel.MaskedDense;
import org.prunelab.stages.prune.LotteryTicket;

/**
 * Bernoulli-Bernoulli RBM with a 0/1 connectivity mask (protocol §3). W is row-major nv x nh: the
 * weight between visible i and hidden mu sits at index {@code i*nh + mu}; the mask has the same
 * layout.
 *
 * <p>The invariant that makes every kernel simple: wherever {@code mask == 0} the weight is exactly
 * 0.0, so a dense product over W already equals the product over M ⊙ W (protocol §3 energy). The
 * constructor checks it and the trainer re-imposes it after every update (protocol §4).
 *
 * <p>The arrays are adopted, not copied: the trainer updates {@code w}, {@code a} and {@code b} in
 * place. Use {@link #copy()} for a snapshot.
 */
public final class Rbm implements MaskedDense {
    public final int nv, nh;
    public final double[] w, a, b;
    public final byte[] mask;

    public Rbm(int nv, int nh, double[] w, double[] a, double[] b, byte[] mask) {
        if (nv <= 0 || nh <= 0) {
            throw new IllegalArgumentException("nv and nh must be positive, got nv=" + nv + " nh=" + nh);
        }
        long size = (long) nv * nh;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("nv*nh too large: " + size);
        }
        check("w", w.length, size);
        check("mask", mask.length, size);
        check("a", a.length, nv);
        check("b", b.length, nh);
        for (int j = 0; j < mask.length; j++) {
            byte m = mask[j];
            if (m != 0 && m != 1) {
                throw new IllegalArgumentException("mask must be 0/1, mask[" + j + "]=" + m);
            }
            if (m == 0 && w[j] != 0.0) {
                throw new IllegalArgumentException("weight w[" + j + "] (visible " + j / nh + ", hidden " + j % nh
                        + ") = " + w[j] + " is pruned by the mask but not zero");
            }
        }
        this.nv = nv;
        this.nh = nh;
        this.w = w;
        this.a = a;
        this.b = b;
        this.mask = mask;
    }

    private static void check(String name, long actual, long expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(name + " has length " + actual + ", expected " + expected);
        }
    }

    /**
     * Hinton's practical-guide initialisation (protocol §3): W ~ N(0, std^2), a_i = logit of the pixel
     * mean clipped to [1e-3, 1-1e-3], b = 0, dense mask. Draws nv*nh Gaussians from {@code rng} in
     * index order.
     */
    public static Rbm initialise(int nv, int nh, double[] pixelMeans, double weightStd, SplittableRandom rng) {
        if (pixelMeans.length != nv) {
            throw new IllegalArgumentException("pixelMeans has length " + pixelMeans.length + ", expected nv=" + nv);
        }
        if (!(weightStd >= 0.0) || Double.isInfinite(weightStd)) {
            throw new IllegalArgumentException("weightStd must be finite and >= 0, got " + weightStd);
        }
        double[] w = new double[nv * nh];
        for (int j = 0; j < w.length; j++) {
            w[j] = weightStd * StableMath.gaussian(rng);
        }
        double[] a = StableMath.clippedLogits(pixelMeans, 1e-3);
        byte[] mask = new byte[nv * nh];
        java.util.Arrays.fill(mask, (byte) 1);
        return new Rbm(nv, nh, w, a, new double[nh], mask);
    }

    /** A copy with the given mask; weights are zeroed where the new mask is 0, biases are kept. */
    public Rbm withMask(byte[] newMask) {
        if (newMask.length != mask.length) {
            throw new IllegalArgumentException("mask has length " + newMask.length + ", expected " + mask.length);
        }
        double[] w2 = w.clone();
        for (int j = 0; j < w2.length; j++) {
            if (newMask[j] == 0) {
                w2[j] = 0.0;
            }
        }
        return new Rbm(nv, nh, w2, a.clone(), b.clone(), newMask.clone());
    }

    /**
     * Lottery-ticket rewind (protocol §5): a model with {@code mask} whose surviving weights are exactly
     * {@code initial}'s (bit for bit) and whose biases are the initial a₀, b₀. The mask must not
     * revive a connection this trained model had pruned.
     */
    public Rbm rewoundTo(Rbm initial, byte[] newMask) {
        if (nv != initial.nv || nh != initial.nh) {
            throw new IllegalArgumentException("trained is " + nv + "x" + nh + " but initial is "
                    + initial.nv + "x" + initial.nh);
        }
        double[] w0 = LotteryTicket.rewindWeights(mask, initial.w, newMask, nh);
        return new Rbm(nv, nh, w0, initial.a.clone(), initial.b.clone(), newMask.clone());
    }

    /** The weights as a family-free masked group (a view: visible rows, hidden columns). */
    public MaskedGroup group() {
        return new MaskedGroup("weights", nv, nh, w, mask);
    }

    /** As a masked dense layer for the kernels: visible units in, hidden units out. */
    @Override
    public int inputs() {
        return nv;
    }

    @Override
    public int outputs() {
        return nh;
    }

    @Override
    public double[] weights() {
        return w;
    }

    @Override
    public byte[] mask() {
        return mask;
    }

    public Rbm copy() {
        return new Rbm(nv, nh, w.clone(), a.clone(), b.clone(), mask.clone());
    }

    /** Fraction of pruned connections (zeros in the mask). */
    public double sparsity() {
        return 1.0 - (double) connections() / mask.length;
    }

    /** Number of kept connections (ones in the mask). */
    public int connections() {
        int c = 0;
        for (byte m : mask) {
            c += m;
        }
        return c;
    }
}
