package org.prunelab.stages.families.graphcnn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.prunelab.stages.conv.BatchNorm2d;
import org.prunelab.stages.conv.Conv2d;
import org.prunelab.stages.core.StableMath;
import org.prunelab.stages.linalg.Gemm;
import org.prunelab.stages.search.BudgetedDag;

/**
 * A graph-wired convolutional network in the style of randomly wired networks (family (b) of the
 * architecture search): a stem (3×3 convolution with stride {@code stemStride}, batch norm), then one
 * cell per vertex of a {@link BudgetedDag} — ReLU → 3×3 convolution → batch norm — whose input is the
 * sum of its predecessors' outputs (the stem's output for a vertex without predecessors); the outputs
 * of the vertices without successors are concatenated along the channels → 1×1 convolution (+ bias) →
 * ReLU → global average pooling → linear classifier. Every cell has {@code channels} channels at the
 * stem's resolution. Convolutions run on {@link Conv2d} (im2col + the shared GEMM).
 *
 * <p>Parameters are {@link #parameters()} (one array each, in a fixed order); batch-norm running
 * statistics are {@link #buffers()}. {@link #lossAndGradient} trains with batch statistics,
 * {@link #logits} with {@code training == false} uses the running ones.
 */
public final class GraphCnn {
    private final BudgetedDag dag;
    private final int inChannels, side, channels, head, classes, stemStride, inner;
    private final Conv2d stemConv, cellConv, headConv;
    private final BatchNorm2d stemBn;
    private final BatchNorm2d[] cellBn;
    private final int[] sinks;
    // Parameters.
    final double[] stemW, stemGamma, stemBeta, headW, headB, linW, linB;
    final double[][] cellW, cellGamma, cellBeta;
    // Batch-norm running statistics.
    final double[] stemMean, stemVar;
    final double[][] cellMean, cellVar;
    // Activations of the last forward.
    private int n;
    private double[] stemPre, stemOut, cat, headPre, pooled, logitsBuf;
    private double[][] in, relu, conv, out;

    public GraphCnn(BudgetedDag dag, int inChannels, int side, int channels, int head, int classes, int stemStride,
                    Gemm gemm) {
        this.dag = dag;
        this.inChannels = inChannels;
        this.side = side;
        this.channels = channels;
        this.head = head;
        this.classes = classes;
        this.stemStride = stemStride;
        this.stemConv = new Conv2d(inChannels, channels, 3, stemStride, 1, gemm);
        this.inner = stemConv.outSize(side);
        this.cellConv = new Conv2d(channels, channels, 3, 1, 1, gemm);
        List<Integer> s = new ArrayList<>();
        for (int v = 0; v < dag.vertices(); v++) {
            if (dag.feedsOutput(v)) {
                s.add(v);
            }
        }
        this.sinks = s.stream().mapToInt(Integer::intValue).toArray();
        this.headConv = new Conv2d(sinks.length * channels, head, 1, 1, 0, gemm);
        int v = dag.vertices();
        stemW = new double[stemConv.weights()];
        stemGamma = ones(channels);
        stemBeta = new double[channels];
        stemMean = new double[channels];
        stemVar = ones(channels);
        stemBn = new BatchNorm2d(channels);
        cellW = new double[v][cellConv.weights()];
        cellGamma = new double[v][];
        cellBeta = new double[v][channels];
        cellMean = new double[v][channels];
        cellVar = new double[v][];
        cellBn = new BatchNorm2d[v];
        for (int i = 0; i < v; i++) {
            cellGamma[i] = ones(channels);
            cellVar[i] = ones(channels);
            cellBn[i] = new BatchNorm2d(channels);
        }
        headW = new double[headConv.weights()];
        headB = new double[head];
        linW = new double[classes * head];
        linB = new double[classes];
    }

    private static double[] ones(int n) {
        double[] a = new double[n];
        Arrays.fill(a, 1.0);
        return a;
    }

    /** Convolutions: Kaiming-uniform bounds of PyTorch's defaults, U(−1/√fan_in, 1/√fan_in); BN γ = 1, β = 0. */
    public void initialise(SplittableRandom rng) {
        fill(stemW, stemConv.patch(), rng);
        for (double[] w : cellW) {
            fill(w, cellConv.patch(), rng);
        }
        fill(headW, headConv.patch(), rng);
        fill(headB, headConv.patch(), rng);
        fill(linW, head, rng);
        fill(linB, head, rng);
    }

    private static void fill(double[] a, int fanIn, SplittableRandom rng) {
        double bound = 1.0 / Math.sqrt(fanIn);
        for (int i = 0; i < a.length; i++) {
            a[i] = bound * (2 * rng.nextDouble() - 1);
        }
    }

    /** Trainable arrays in a fixed order (names in {@link #parameterNames()}). */
    public List<double[]> parameters() {
        List<double[]> p = new ArrayList<>(List.of(stemW, stemGamma, stemBeta));
        for (int v = 0; v < dag.vertices(); v++) {
            p.addAll(List.of(cellW[v], cellGamma[v], cellBeta[v]));
        }
        p.addAll(List.of(headW, headB, linW, linB));
        return p;
    }

    public List<String> parameterNames() {
        List<String> names = new ArrayList<>(List.of("stem.w", "stem.gamma", "stem.beta"));
        for (int v = 0; v < dag.vertices(); v++) {
            names.addAll(List.of("cell" + v + ".w", "cell" + v + ".gamma", "cell" + v + ".beta"));
        }
        names.addAll(List.of("head.w", "head.b", "linear.w", "linear.b"));
        return names;
    }

    /** Batch-norm running means and variances (stem, then every cell). */
    public List<double[]> buffers() {
        List<double[]> b = new ArrayList<>(List.of(stemMean, stemVar));
        for (int v = 0; v < dag.vertices(); v++) {
            b.add(cellMean[v]);
            b.add(cellVar[v]);
        }
        return b;
    }

    public long parameterCount() {
        long c = 0;
        for (double[] p : parameters()) {
            c += p.length;
        }
        return c;
    }

    private void allocate(int rows) {
        if (rows == n && stemOut != null) {
            return;
        }
        n = rows;
        int map = n * channels * inner * inner;
        stemPre = new double[map];
        stemOut = new double[map];
        int v = dag.vertices();
        in = new double[v][map];
        relu = new double[v][map];
        conv = new double[v][map];
        out = new double[v][map];
        cat = new double[n * sinks.length * channels * inner * inner];
        headPre = new double[n * head * inner * inner];
        pooled = new double[n * head];
        logitsBuf = new double[n * classes];
    }

    /** Logits of n images (n × inChannels × side × side) into {@code logits}. */
    public void logits(double[] x, int rows, boolean training, double[] logitsOut) {
        forward(x, rows, training);
        System.arraycopy(logitsBuf, 0, logitsOut, 0, rows * classes);
    }

    private void forward(double[] x, int rows, boolean training) {
        allocate(rows);
        int spatial = inner * inner, map = n * channels * spatial;
        stemConv.forward(stemW, null, x, n, side, side, stemPre);
        stemBn.forward(stemPre, n, spatial, stemGamma, stemBeta, stemMean, stemVar, training, stemOut);
        for (int v = 0; v < dag.vertices(); v++) {
            double[] sum = in[v];
            Arrays.fill(sum, 0, map, 0.0);
            if (dag.readsInput(v)) {
                add(sum, stemOut, map);
            }
            for (int[] e : dag.edges()) {
                if (e[1] == v) {
                    add(sum, out[e[0]], map);
                }
            }
            for (int j = 0; j < map; j++) {
                relu[v][j] = sum[j] > 0 ? sum[j] : 0.0;
            }
            cellConv.forward(cellW[v], null, relu[v], n, inner, inner, conv[v]);
            cellBn[v].forward(conv[v], n, spatial, cellGamma[v], cellBeta[v], cellMean[v], cellVar[v], training, out[v]);
        }
        int block = channels * spatial;
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < sinks.length; s++) {
                System.arraycopy(out[sinks[s]], i * block, cat, (i * sinks.length + s) * block, block);
            }
        }
        headConv.forward(headW, headB, cat, n, inner, inner, headPre);
        for (int i = 0; i < n; i++) {
            for (int h = 0; h < head; h++) {
                double s = 0;
                int off = (i * head + h) * spatial;
                for (int p = 0; p < spatial; p++) {
                    double a = headPre[off + p];
                    s += a > 0 ? a : 0.0;
                }
                pooled[i * head + h] = s / spatial;
            }
            for (int k = 0; k < classes; k++) {
                double z = linB[k];
                for (int h = 0; h < head; h++) {
                    z += linW[k * head + h] * pooled[i * head + h];
                }
                logitsBuf[i * classes + k] = z;
            }
        }
    }

    private static void add(double[] into, double[] x, int len) {
        for (int j = 0; j < len; j++) {
            into[j] += x[j];
        }
    }

    /**
     * Mean softmax cross-entropy of the batch (training mode: batch statistics, running statistics
     * updated); overwrites {@code grads} (one per {@link #parameters()} entry) with its gradient.
     */
    public double lossAndGradient(double[] x, int[] y, int rows, List<double[]> grads) {
        forward(x, rows, true);
        for (double[] g : grads) {
            Arrays.fill(g, 0.0);
        }
        int spatial = inner * inner, map = n * channels * spatial;
        double[] dLogits = new double[n * classes];
        double loss = StableMath.softmaxCrossEntropy(logitsBuf, y, n, classes, dLogits);
        int gi = grads.size();
        double[] gLinB = grads.get(gi - 1), gLinW = grads.get(gi - 2), gHeadB = grads.get(gi - 3), gHeadW = grads.get(gi - 4);
        double[] dHead = new double[n * head * spatial];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < classes; k++) {
                double d = dLogits[i * classes + k];
                gLinB[k] += d;
                for (int h = 0; h < head; h++) {
                    gLinW[k * head + h] += d * pooled[i * head + h];
                }
            }
            for (int h = 0; h < head; h++) {
                double dp = 0;
                for (int k = 0; k < classes; k++) {
                    dp += dLogits[i * classes + k] * linW[k * head + h];
                }
                int off = (i * head + h) * spatial;
                for (int p = 0; p < spatial; p++) {
                    dHead[off + p] = headPre[off + p] > 0 ? dp / spatial : 0.0;
                }
            }
        }
        double[] dCat = new double[cat.length];
        headConv.backward(headW, cat, n, inner, inner, dHead, gHeadW, gHeadB, dCat);
        double[][] dOut = new double[dag.vertices()][map];
        int block = channels * spatial;
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < sinks.length; s++) {
                System.arraycopy(dCat, (i * sinks.length + s) * block, dOut[sinks[s]], i * block, block);
            }
        }
        double[] dStemOut = new double[map], dConv = new double[map], dRelu = new double[map];
        for (int v = dag.vertices() - 1; v >= 0; v--) {
            int base = 3 + 3 * v;
            cellBn[v].backward(dOut[v], n, spatial, cellGamma[v], grads.get(base + 1), grads.get(base + 2), dConv);
            cellConv.backward(cellW[v], relu[v], n, inner, inner, dConv, grads.get(base), null, dRelu);
            for (int j = 0; j < map; j++) {
                dRelu[j] = in[v][j] > 0 ? dRelu[j] : 0.0; // now the gradient of the cell's summed input
            }
            if (dag.readsInput(v)) {
                add(dStemOut, dRelu, map);
            }
            for (int[] e : dag.edges()) {
                if (e[1] == v) {
                    add(dOut[e[0]], dRelu, map);
                }
            }
        }
        double[] dStemPre = new double[map];
        stemBn.backward(dStemOut, n, spatial, stemGamma, grads.get(1), grads.get(2), dStemPre);
        stemConv.backward(stemW, x, n, side, side, dStemPre, grads.get(0), null, null);
        return loss;
    }

    public int classes() {
        return classes;
    }

    public int inputFeatures() {
        return inChannels * side * side;
    }

    public int innerSide() {
        return inner;
    }

    public int stemStride() {
        return stemStride;
    }
}
