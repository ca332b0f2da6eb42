package org.prunelab.stages.families.mlp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.prunelab.stages.core.MaskedGroup;

/**
 * A masked multi-layer perceptron (mlp-pruning protocol §2.1): layer l maps {@code sizes[l]}
 * inputs to {@code sizes[l+1]} outputs as z = x·(W⊙M)ᵀ + b, ReLU on hidden layers, softmax on the
 * output. {@code w[l]} is row-major out×in (PyTorch's {@code Linear.weight} layout): the weight from
 * input i to output o sits at {@code o*in + i}; {@code mask[l]} has the same layout. Biases are never
 * masked and never counted as prunable.
 *
 * <p>Invariant, as for the RBM: wherever a mask is 0 the weight is exactly 0.0, so a dense product
 * equals the masked one. The constructor checks it; the trainer re-imposes it after every update.
 * Arrays are adopted, not copied (training updates them in place); {@link #copy()} snapshots.
 */
public final class Mlp {
    public final int[] sizes;
    public final double[][] w, b;
    public final byte[][] mask;

    public Mlp(int[] sizes, double[][] w, double[][] b, byte[][] mask) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("an MLP needs at least an input and an output size, got "
                    + Arrays.toString(sizes));
        }
        for (int s : sizes) {
            if (s <= 0) {
                throw new IllegalArgumentException("layer sizes must be positive, got " + Arrays.toString(sizes));
            }
        }
        int layers = sizes.length - 1;
        if (w.length != layers || b.length != layers || mask.length != layers) {
            throw new IllegalArgumentException(layers + " layers need " + layers + " weight, bias and mask arrays, got "
                    + w.length + "/" + b.length + "/" + mask.length);
        }
        for (int l = 0; l < layers; l++) {
            long size = (long) sizes[l] * sizes[l + 1];
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("layer " + l + " is too large: " + size);
            }
            check("w" + l, w[l].length, size);
            check("mask" + l, mask[l].length, size);
            check("b" + l, b[l].length, sizes[l + 1]);
            for (int j = 0; j < mask[l].length; j++) {
                byte m = mask[l][j];
                if (m != 0 && m != 1) {
                    throw new IllegalArgumentException("mask" + l + " must be 0/1, mask[" + j + "]=" + m);
                }
                if (m == 0 && w[l][j] != 0.0) {
                    throw new IllegalArgumentException("w" + l + "[" + j + "] (output " + j / sizes[l] + ", input "
                            + j % sizes[l] + ") = " + w[l][j] + " is pruned by the mask but not zero");
                }
            }
        }
        this.sizes = sizes.clone();
        this.w = w;
        this.b = b;
        this.mask = mask;
    }

    private static void check(String name, long actual, long expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(name + " has length " + actual + ", expected " + expected);
        }
    }

    /**
     * PyTorch's default {@code nn.Linear} initialisation (protocol §2.1, inferred): W and b each
     * ~ U(−1/√fan_in, 1/√fan_in), dense masks. Draws, layer by layer, all of W in index order and then
     * b, as PyTorch's reset_parameters does (the values differ: the generator is not torch's).
     */
    public static Mlp initialise(int[] sizes, SplittableRandom rng) {
        int layers = sizes.length - 1;
        double[][] w = new double[layers][];
        double[][] b = new double[layers][];
        byte[][] mask = new byte[layers][];
        for (int l = 0; l < layers; l++) {
            int in = sizes[l], out = sizes[l + 1];
            double bound = 1.0 / Math.sqrt(in);
            w[l] = new double[in * out];
            for (int j = 0; j < w[l].length; j++) {
                w[l][j] = uniform(rng, bound);
            }
            b[l] = new double[out];
            for (int o = 0; o < out; o++) {
                b[l][o] = uniform(rng, bound);
            }
            mask[l] = new byte[in * out];
            Arrays.fill(mask[l], (byte) 1);
        }
        return new Mlp(sizes, w, b, mask);
    }

    /** U(−bound, bound) from one 53-bit draw; deterministic given the stream. */
    static double uniform(SplittableRandom rng, double bound) {
        return bound * (2.0 * rng.nextDouble() - 1.0);
    }

    /**
     * Parses hidden sizes such as {@code "100"} or {@code "300-100"} ({@code ""} or {@code "none"} =
     * no hidden layer) and frames them with the input and output sizes.
     */
    public static int[] sizes(int inputs, String hidden, int outputs) {
        String text = hidden.trim();
        int[] h;
        if (text.isEmpty() || text.equalsIgnoreCase("none")) {
            h = new int[0];
        } else {
            String[] parts = text.split("-", -1);
            h = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    h[i] = Integer.parseInt(parts[i].trim());
                } catch (NumberFormatException e) {
                    h[i] = -1;
                }
                if (h[i] <= 0) {
                    throw new IllegalArgumentException("hidden layer sizes must be positive integers joined by '-',"
                            + " e.g. \"100\" or \"300-100\"; got \"" + hidden + "\"");
                }
            }
        }
        int[] sizes = new int[h.length + 2];
        sizes[0] = inputs;
        System.arraycopy(h, 0, sizes, 1, h.length);
        sizes[sizes.length - 1] = outputs;
        return sizes;
    }

    public int layers() {
        return sizes.length - 1;
    }

    public int in(int layer) {
        return sizes[layer];
    }

    public int out(int layer) {
        return sizes[layer + 1];
    }

    /** A copy with the given masks (copied) and every weight they prune set to 0.0. */
    public Mlp withMasks(byte[][] masks) {
        if (masks.length != layers()) {
            throw new IllegalArgumentException("expected " + layers() + " masks, got " + masks.length);
        }
        double[][] nw = new double[layers()][];
        byte[][] nm = new byte[layers()][];
        for (int l = 0; l < layers(); l++) {
            if (masks[l].length != w[l].length) {
                throw new IllegalArgumentException("mask " + l + " has length " + masks[l].length + ", expected " + w[l].length);
            }
            nm[l] = masks[l].clone();
            nw[l] = w[l].clone();
            for (int j = 0; j < nw[l].length; j++) {
                if (nm[l][j] == 0) {
                    nw[l][j] = 0.0;
                }
            }
        }
        return new Mlp(sizes, nw, deepCopy(b), nm);
    }

    public Mlp copy() {
        byte[][] m = new byte[layers()][];
        for (int l = 0; l < layers(); l++) {
            m[l] = mask[l].clone();
        }
        return new Mlp(sizes, deepCopy(w), deepCopy(b), m);
    }

    static double[][] deepCopy(double[][] x) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i].clone();
        }
        return y;
    }

    /**
     * The layers' weights as family-free masked groups ("layer0", "layer1", …; out×in row-major),
     * views on this model's arrays, for pruning methods and mask statistics.
     */
    public List<MaskedGroup> groups() {
        List<MaskedGroup> groups = new ArrayList<>(layers());
        for (int l = 0; l < layers(); l++) {
            groups.add(new MaskedGroup("layer" + l, out(l), in(l), w[l], mask[l]));
        }
        return groups;
    }

    /** Weights of layer l (biases excluded). */
    public int weights(int layer) {
        return w[layer].length;
    }

    /** Kept (mask 1) weights of layer l. */
    public int remaining(int layer) {
        int k = 0;
        for (byte m : mask[layer]) {
            k += m;
        }
        return k;
    }

    /** All prunable weights: every W entry, biases never (protocol §2.1: 79,400 for 784-100-10). */
    public long prunableWeights() {
        long n = 0;
        for (double[] x : w) {
            n += x.length;
        }
        return n;
    }

    public long remainingWeights() {
        long n = 0;
        for (int l = 0; l < layers(); l++) {
            n += remaining(l);
        }
        return n;
    }

    /** 1 − remaining/total prunable weights (protocol §1: compression, not the paper's ξ). */
    public double compression() {
        return 1.0 - (double) remainingWeights() / prunableWeights();
    }

    /** Fraction of kept weights in layer l. */
    public double density(int layer) {
        return (double) remaining(layer) / weights(layer);
    }

    /** "784-100-10". */
    public String shape() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < sizes.length; i++) {
            s.append(i == 0 ? "" : "-").append(sizes[i]);
        }
        return s.toString();
    }
}
