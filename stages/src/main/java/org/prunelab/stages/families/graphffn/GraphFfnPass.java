package org.prunelab.stages.families.graphffn;

import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.prunelab.stages.core.StableMath;
import org.prunelab.stages.kernel.LayerKernel;
import org.prunelab.stages.kernel.LayerKernels;

/**
 * Forward and backward passes of a {@link GraphFfn} on the shared masked-layer kernels: each block is
 * one {@link LayerKernel} (dense or CSR by its mask, {@code auto}), a layer's pre-activation is its
 * bias plus the sum of its blocks, ReLU on every hidden unit, softmax cross-entropy on the output
 * (mean over the batch). Block gradients are masked, so pruned weights never learn. Keeps scratch
 * buffers between calls: not for two threads at once.
 */
final class GraphFfnPass {
    private final GraphFfn net;
    private final Map<GraphFfn.Block, LayerKernel> kernels = new IdentityHashMap<>();
    private double[][] z = new double[0][], a = new double[0][], dA = new double[0][];
    private double[] logits = new double[0], dLogits = new double[0], scratch = new double[0];
    /** Zero biases by width: a block adds into its layer's sum, whose bias is added once; kernels take exact-length biases. */
    private final Map<Integer, double[]> zeroBias = new HashMap<>();
    private int capacity;

    GraphFfnPass(GraphFfn net, String kernelChoice) {
        this.net = net;
        for (GraphFfn.Block b : net.blocks()) {
            kernels.put(b, LayerKernels.forLayer(b.mask(), b.in(), b.out(), kernelChoice));
            zeroBias.computeIfAbsent(b.out(), double[]::new);
        }
    }

    GraphFfn model() {
        return net;
    }

    private void ensure(int n) {
        if (n <= capacity) {
            return;
        }
        int layers = net.layers();
        z = new double[layers][];
        a = new double[layers][];
        dA = new double[layers][];
        int widest = Math.max(net.classes(), net.inputs());
        for (int l = 0; l < layers; l++) {
            z[l] = new double[n * net.units(l)];
            a[l] = new double[n * net.units(l)];
            dA[l] = new double[n * net.units(l)];
            widest = Math.max(widest, net.units(l));
        }
        logits = new double[n * net.classes()];
        dLogits = new double[n * net.classes()];
        scratch = new double[n * widest];
        capacity = n;
    }

    private double[] source(int s, double[] x) {
        return s == GraphFfn.INPUT ? x : a[s];
    }

    /** Pre-activations of every layer and the logits for n rows of x. */
    private void forward(double[] x, int n) {
        ensure(Math.max(1, n));
        for (int t = 0; t <= net.layers(); t++) {
            boolean output = t == net.layers();
            int width = output ? net.classes() : net.units(t);
            double[] target = output ? logits : z[t];
            double[] bias = net.bias(t);
            for (int r = 0; r < n; r++) {
                System.arraycopy(bias, 0, target, r * width, width);
            }
            for (GraphFfn.Block b : net.into(t)) {
                kernels.get(b).forward(b.w(), zeroBias.get(b.out()), source(b.source(), x), n, scratch);
                for (int j = 0, end = n * width; j < end; j++) {
                    target[j] += scratch[j];
                }
            }
            if (!output) {
                double[] act = a[t];
                for (int j = 0, end = n * width; j < end; j++) {
                    act[j] = target[j] > 0.0 ? target[j] : 0.0;
                }
            }
        }
    }

    /** Output logits (n×classes) into {@code out}. */
    void logits(double[] x, int n, double[] out) {
        forward(x, n);
        System.arraycopy(logits, 0, out, 0, n * net.classes());
    }

    /**
     * Mean cross-entropy of the batch; overwrites {@code gradients} (one array per block, in
     * {@link GraphFfn#blocks()} order, then one per bias in layer order) with its gradient.
     */
    double lossAndGradient(double[] x, int[] y, int n, List<double[]> blockGrads, List<double[]> biasGrads) {
        if (n < 1) {
            throw new IllegalArgumentException("batch must have at least one row, got " + n);
        }
        forward(x, n);
        int classes = net.classes();
        double loss = StableMath.softmaxCrossEntropy(logits, y, n, classes, dLogits);
        for (int l = 0; l < net.layers(); l++) {
            Arrays.fill(dA[l], 0, n * net.units(l), 0.0);
        }
        List<GraphFfn.Block> blocks = net.blocks();
        for (int t = net.layers(); t >= 0; t--) {
            boolean output = t == net.layers();
            int width = output ? classes : net.units(t);
            double[] delta;
            if (output) {
                delta = dLogits;
            } else {
                delta = dA[t];
                double[] pre = z[t];
                for (int j = 0, end = n * width; j < end; j++) {
                    if (!(pre[j] > 0.0)) {
                        delta[j] = 0.0; // ReLU'(z) = 1 iff z > 0
                    }
                }
            }
            double[] gb = biasGrads.get(t);
            Arrays.fill(gb, 0.0);
            for (int r = 0; r < n; r++) {
                for (int o = 0; o < width; o++) {
                    gb[o] += delta[r * width + o];
                }
            }
            for (GraphFfn.Block b : net.into(t)) {
                double[] g = blockGrads.get(blocks.indexOf(b));
                Arrays.fill(g, 0.0);
                LayerKernel k = kernels.get(b);
                k.weightGradient(source(b.source(), x), delta, n, 1.0, g);
                byte[] m = b.mask();
                for (int j = 0; j < m.length; j++) {
                    if (m[j] == 0) {
                        g[j] = 0.0;
                    }
                }
                if (b.source() != GraphFfn.INPUT) {
                    k.backwardInput(b.w(), delta, n, scratch);
                    double[] into = dA[b.source()];
                    for (int j = 0, end = n * b.in(); j < end; j++) {
                        into[j] += scratch[j];
                    }
                }
            }
        }
        return loss;
    }

    /** Accuracy (first maximal logit wins) and mean cross-entropy of {@code count} rows, in batches. */
    double[] score(double[] x, int[] y, int count, int batch) {
        int f = net.inputs(), classes = net.classes();
        double[] out = new double[batch * classes];
        long correct = 0;
        double loss = 0;
        for (int start = 0; start < count; start += batch) {
            int n = Math.min(batch, count - start);
            double[] rows = Arrays.copyOfRange(x, start * f, (start + n) * f);
            logits(rows, n, out);
            for (int r = 0; r < n; r++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (out[r * classes + c] > out[r * classes + best]) {
                        best = c;
                    }
                }
                loss += StableMath.crossEntropyOfRow(out, r * classes, classes, y[start + r]);
                correct += best == y[start + r] ? 1 : 0;
            }
        }
        return new double[] {count == 0 ? Double.NaN : (double) correct / count, count == 0 ? Double.NaN : loss / count};
    }
}
