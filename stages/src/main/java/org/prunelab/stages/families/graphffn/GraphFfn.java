package org.prunelab.stages.families.graphffn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.prunelab.stages.search.BudgetedDag;

/**
 * A graph-structured sparse feed-forward network: every vertex of a {@link BudgetedDag} is a group
 * of {@code width} ReLU units, a network layer holds the units of its vertices, and each directed
 * edge u → v connects all units of u to all units of v. Vertices without incoming edges read the
 * whole input, vertices without outgoing edges feed the linear output layer (softmax classes).
 *
 * <p>The weights into one network layer are split into masked dense {@link Block}s, one per source
 * (the input or an earlier layer, so an edge that skips layers is a block of its own) — the skip
 * connections of the wiring. Block weights are out×in row-major (PyTorch's layout, as the shared
 * {@code LayerKernel}s expect) and exactly 0 wherever the mask is 0.
 */
public final class GraphFfn {
    /** Source index of a block that reads the network input. */
    public static final int INPUT = -1;

    /** The masked weights from one source into one target (a layer, or the output when target == layers). */
    public record Block(int source, int target, int in, int out, double[] w, byte[] mask) {
        public String name() {
            return "w_" + (source == INPUT ? "in" : "l" + source) + "_" + (target < 0 ? "out" : "l" + target);
        }
    }

    private final int inputs, classes, width;
    private final int[] units;               // units per network layer
    private final List<List<Block>> into;    // into.get(t): blocks into layer t; index layers(): into the output
    private final double[][] bias;           // per layer, and the output's last

    private GraphFfn(int inputs, int classes, int width, int[] units, List<List<Block>> into, double[][] bias) {
        this.inputs = inputs;
        this.classes = classes;
        this.width = width;
        this.units = units;
        this.into = into;
        this.bias = bias;
    }

    /** The wiring of {@code dag}, weights still 0 (see {@link #initialise}). */
    public static GraphFfn wire(BudgetedDag dag, int width, int inputs, int classes) {
        if (width < 1 || inputs < 1 || classes < 2) {
            throw new IllegalArgumentException("need width >= 1, inputs >= 1, classes >= 2, got " + width + ", " + inputs
                    + ", " + classes);
        }
        int layers = dag.layerCount();
        int[] units = new int[layers];
        for (int l = 0; l < layers; l++) {
            units[l] = dag.layer(l).size() * width;
        }
        List<List<Block>> into = new ArrayList<>();
        for (int t = 0; t < layers; t++) {
            List<Block> blocks = new ArrayList<>();
            byte[] fromInput = new byte[units[t] * inputs];
            boolean any = false;
            for (int v : dag.layer(t)) {
                if (dag.readsInput(v)) {
                    any = true;
                    int row0 = dag.positionInLayer(v) * width;
                    java.util.Arrays.fill(fromInput, row0 * inputs, (row0 + width) * inputs, (byte) 1);
                }
            }
            if (any) {
                blocks.add(new Block(INPUT, t, inputs, units[t], new double[fromInput.length], fromInput));
            }
            for (int s = 0; s < t; s++) {
                byte[] mask = new byte[units[t] * units[s]];
                boolean connected = false;
                for (int[] e : dag.edges()) {
                    if (dag.layerOf(e[0]) == s && dag.layerOf(e[1]) == t) {
                        connected = true;
                        int r0 = dag.positionInLayer(e[1]) * width, c0 = dag.positionInLayer(e[0]) * width;
                        for (int a = 0; a < width; a++) {
                            for (int b = 0; b < width; b++) {
                                mask[(r0 + a) * units[s] + c0 + b] = 1;
                            }
                        }
                    }
                }
                if (connected) {
                    blocks.add(new Block(s, t, units[s], units[t], new double[mask.length], mask));
                }
            }
            into.add(blocks);
        }
        List<Block> output = new ArrayList<>();
        for (int s = 0; s < layers; s++) {
            byte[] mask = new byte[classes * units[s]];
            boolean any = false;
            for (int v : dag.layer(s)) {
                if (dag.feedsOutput(v)) {
                    any = true;
                    int c0 = dag.positionInLayer(v) * width;
                    for (int o = 0; o < classes; o++) {
                        for (int b = 0; b < width; b++) {
                            mask[o * units[s] + c0 + b] = 1;
                        }
                    }
                }
            }
            if (any) {
                output.add(new Block(s, -1, units[s], classes, new double[mask.length], mask));
            }
        }
        into.add(output);
        double[][] bias = new double[layers + 1][];
        for (int l = 0; l < layers; l++) {
            bias[l] = new double[units[l]];
        }
        bias[layers] = new double[classes];
        return new GraphFfn(inputs, classes, width, units, into, bias);
    }

    /**
     * PyTorch's {@code nn.Linear} rule per unit with the fan-in that the mask leaves: weights and bias
     * ~ U(−1/√k, 1/√k), k = the unit's kept incoming weights over all its blocks. Drawn block by
     * block, kept entries in index order, then the biases layer by layer.
     */
    public void initialise(SplittableRandom rng) {
        for (int t = 0; t <= layers(); t++) {
            int out = t < layers() ? units[t] : classes;
            int[] fanIn = new int[out];
            for (Block b : into.get(t)) {
                for (int j = 0; j < b.mask().length; j++) {
                    fanIn[j / b.in()] += b.mask()[j];
                }
            }
            for (Block b : into.get(t)) {
                for (int j = 0; j < b.w().length; j++) {
                    b.w()[j] = b.mask()[j] == 0 ? 0.0 : uniform(rng, fanIn[j / b.in()]);
                }
            }
            for (int o = 0; o < out; o++) {
                bias[t][o] = uniform(rng, fanIn[o]);
            }
        }
    }

    private static double uniform(SplittableRandom rng, int fanIn) {
        double bound = 1.0 / Math.sqrt(Math.max(1, fanIn));
        return bound * (2.0 * rng.nextDouble() - 1.0);
    }

    public int inputs() {
        return inputs;
    }

    public int classes() {
        return classes;
    }

    public int width() {
        return width;
    }

    /** Hidden network layers. */
    public int layers() {
        return units.length;
    }

    public int units(int layer) {
        return units[layer];
    }

    /** Blocks into layer t, or into the output when t == {@link #layers()}. */
    public List<Block> into(int t) {
        return into.get(t);
    }

    /** Bias of layer t, or of the output when t == {@link #layers()}. */
    public double[] bias(int t) {
        return bias[t];
    }

    public List<Block> blocks() {
        List<Block> all = new ArrayList<>();
        into.forEach(all::addAll);
        return all;
    }

    /** Kept (trainable) weights, biases excluded. */
    public long keptWeights() {
        long k = 0;
        for (Block b : blocks()) {
            for (byte m : b.mask()) {
                k += m;
            }
        }
        return k;
    }

    public int hiddenUnits() {
        int u = 0;
        for (int x : units) {
            u += x;
        }
        return u;
    }
}
