package org.prunelab.stages.recurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.prunelab.stages.core.StableMath;

/**
 * The Reber classifier: ASCII code → embedding (128 → E) → a stack of masked recurrent layers →
 * Linear(H → classes) on one time step → softmax cross-entropy (mean over the batch).
 *
 * <p>Optional skip connections make the stack a layered DAG (the random-graph networks): a skip
 * from layer s to layer l (s < l − 1) is a recurrent layer of its own (hidden size = layer l's, zero
 * initial state) that reads layer s's output sequence; its output sequence is added to layer l's
 * before that feeds layer l + 1 (or the readout).
 *
 * <p>A batch of strings is right-padded with code 0 to its longest member, as the authors did; code
 * 0 has an embedding row of its own that is learned like any other. Only the recurrent weight
 * matrices are prunable; the embedding, the output layer and all biases never are.
 */
public final class RecurrentClassifier {
    public static final int VOCABULARY = 128;

    private final Parameter embedding;   // VOCABULARY × E
    private final List<RecurrentLayer> layers;
    private final List<Skip> skips;
    private final Parameter outWeight;   // classes × H
    private final Parameter outBias;
    private final int classes;
    private final Readout readout;

    /** A skip connection from layer {@code from} to layer {@code to} through its own recurrent layer. */
    public record Skip(int from, int to, RecurrentLayer layer) {
    }

    public RecurrentClassifier(CellType cell, int embeddingSize, int[] hiddenSizes, int classes, Readout readout) {
        this(cell, embeddingSize, hiddenSizes, List.of(), classes, readout);
    }

    /** {@code skipPairs} holds {from, to} pairs with from < to − 1, in the order their layers are created. */
    public RecurrentClassifier(CellType cell, int embeddingSize, int[] hiddenSizes, List<int[]> skipPairs, int classes,
                               Readout readout) {
        if (hiddenSizes.length < 1) {
            throw new IllegalArgumentException("need at least one recurrent layer");
        }
        this.embedding = new Parameter("embedding", VOCABULARY, embeddingSize, false);
        List<RecurrentLayer> ls = new ArrayList<>();
        int in = embeddingSize;
        for (int l = 0; l < hiddenSizes.length; l++) {
            ls.add(new RecurrentLayer("rnn.l" + l, cell, in, hiddenSizes[l]));
            in = hiddenSizes[l];
        }
        this.layers = List.copyOf(ls);
        List<Skip> sk = new ArrayList<>();
        for (int[] pair : skipPairs) {
            int from = pair[0], to = pair[1];
            if (from < 0 || to >= hiddenSizes.length || from >= to - 1) {
                throw new IllegalArgumentException("a skip must go from layer s to layer l > s + 1 within 0.."
                        + (hiddenSizes.length - 1) + ", got " + from + " -> " + to);
            }
            sk.add(new Skip(from, to, new RecurrentLayer("rnn.skip" + from + "to" + to, cell, hiddenSizes[from],
                    hiddenSizes[to])));
        }
        this.skips = List.copyOf(sk);
        this.outWeight = new Parameter("out.weight", classes, in, false);
        this.outBias = new Parameter("out.bias", 1, classes, false);
        this.classes = classes;
        this.readout = readout;
    }

    public List<RecurrentLayer> layers() {
        return layers;
    }

    public int embeddingSize() {
        return embedding.cols();
    }

    public List<Skip> skips() {
        return skips;
    }

    public Readout readout() {
        return readout;
    }

    /** All parameters in a fixed order: embedding, each layer's four, output weight and bias. */
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        ps.add(embedding);
        for (RecurrentLayer l : layers) {
            ps.addAll(l.parameters());
        }
        for (Skip k : skips) {
            ps.addAll(k.layer().parameters());
        }
        ps.add(outWeight);
        ps.add(outBias);
        return ps;
    }

    /**
     * U(−1/√H, 1/√H) for every parameter (H = the first layer's hidden size for the embedding, the
     * last layer's for the output layer: the fan-in of their consumer or of themselves), drawn in
     * {@link #parameters()} order from one stream.
     */
    public void initialise(SplittableRandom rng) {
        uniform(embedding, 1.0 / Math.sqrt(layers.get(0).hidden()), rng);
        for (RecurrentLayer l : layers) {
            l.initialise(rng);
        }
        for (Skip k : skips) {
            k.layer().initialise(rng);
        }
        double bound = 1.0 / Math.sqrt(layers.get(layers.size() - 1).hidden());
        uniform(outWeight, bound, rng);
        uniform(outBias, bound, rng);
    }

    private static void uniform(Parameter p, double bound, SplittableRandom rng) {
        double[] v = p.value();
        for (int i = 0; i < v.length; i++) {
            v[i] = (2 * rng.nextDouble() - 1) * bound;
        }
    }

    /** The result of one pass over a batch: logits (B×classes) and, if labels were given, the loss. */
    public record Pass(double[] logits, double loss) {
        public int predicted(int row, int classes) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[row * classes + c] > logits[row * classes + best]) {
                    best = c;
                }
            }
            return best;
        }
    }

    public int classes() {
        return classes;
    }

    /** Logits only (evaluation). */
    public Pass predict(String[] batch) {
        return run(batch, null, false);
    }

    /**
     * Forward and backward: gradients of the mean cross-entropy are ADDED to the parameters' gradients
     * (callers zero them first with {@link #zeroGradients()}).
     */
    public Pass lossAndGradients(String[] batch, int[] labels) {
        return run(batch, labels, true);
    }

    /** Logits and mean cross-entropy of a labelled batch, without gradients (evaluation). */
    public Pass run(String[] batch, int[] labels) {
        return run(batch, labels, false);
    }

    /** The mean cross-entropy of {@code batch}, without gradients. */
    public double loss(String[] batch, int[] labels) {
        return run(batch, labels, false).loss();
    }

    public void zeroGradients() {
        for (Parameter p : parameters()) {
            p.zeroGrad();
        }
    }

    private Pass run(String[] batch, int[] labels, boolean backward) {
        int b = batch.length;
        int steps = 0;
        for (String s : batch) {
            steps = Math.max(steps, s.length());
        }
        int e = embedding.cols();
        int[] codes = new int[steps * b];          // time-major, 0 = padding
        double[] x = new double[steps * b * e];
        for (int t = 0; t < steps; t++) {
            for (int r = 0; r < b; r++) {
                int code = t < batch[r].length() ? batch[r].charAt(t) : 0;
                if (code >= VOCABULARY) {
                    throw new IllegalArgumentException("character U+" + Integer.toHexString(code) + " of '" + batch[r]
                            + "' is outside the 128-symbol ASCII vocabulary");
                }
                codes[t * b + r] = code;
                System.arraycopy(embedding.value(), code * e, x, (t * b + r) * e, e);
            }
        }
        RecurrentLayer.Trace[] traces = new RecurrentLayer.Trace[layers.size()];
        RecurrentLayer.Trace[] skipTraces = new RecurrentLayer.Trace[skips.size()];
        double[][] outputs = new double[layers.size()][];
        double[] input = x;
        for (int l = 0; l < layers.size(); l++) {
            traces[l] = layers.get(l).forward(input, steps, b);
            double[] out = traces[l].outputs();
            for (int k = 0; k < skips.size(); k++) {
                if (skips.get(k).to() == l) {
                    if (out == traces[l].outputs()) {
                        out = out.clone();     // the trace keeps the layer's own output for backward
                    }
                    skipTraces[k] = skips.get(k).layer().forward(outputs[skips.get(k).from()], steps, b);
                    double[] add = skipTraces[k].outputs();
                    for (int i = 0; i < out.length; i++) {
                        out[i] += add[i];
                    }
                }
            }
            outputs[l] = out;
            input = out;
        }
        int h = layers.get(layers.size() - 1).hidden();
        int[] readStep = new int[b];
        double[] read = new double[b * h];
        for (int r = 0; r < b; r++) {
            readStep[r] = readout == Readout.LAST_STEP ? steps - 1 : batch[r].length() - 1;
            System.arraycopy(input, (readStep[r] * b + r) * h, read, r * h, h);
        }
        double[] logits = new double[b * classes];
        Products.timesTransposed(read, b, h, outWeight.value(), classes, outBias.value(), logits);
        if (labels == null) {
            return new Pass(logits, Double.NaN);
        }
        double[] dLogits = new double[b * classes];
        double loss = StableMath.softmaxCrossEntropy(logits, labels, b, classes, dLogits);
        if (!backward) {
            return new Pass(logits, loss);
        }
        Products.transposedTimesAccumulate(dLogits, b, classes, read, h, outWeight.grad());
        Products.columnSumsAccumulate(dLogits, b, classes, outBias.grad());
        double[] dRead = new double[b * h];
        Products.timesAccumulate(dLogits, b, classes, outWeight.value(), h, dRead);
        double[] dOut = new double[steps * b * h];
        for (int r = 0; r < b; r++) {
            System.arraycopy(dRead, r * h, dOut, (readStep[r] * b + r) * h, h);
        }
        // Gradients flow back layer by layer; a layer's output gradient is complete once every later
        // consumer (the next layer and any skip that reads it) has added its share.
        double[][] dOutputs = new double[layers.size()][];
        dOutputs[layers.size() - 1] = dOut;
        double[] dEmbedded = null;
        for (int l = layers.size() - 1; l >= 0; l--) {
            double[] dl = dOutputs[l] != null ? dOutputs[l] : new double[steps * b * layers.get(l).hidden()];
            for (int k = skips.size() - 1; k >= 0; k--) {
                if (skips.get(k).to() == l) {
                    addInto(dOutputs, skips.get(k).from(), skips.get(k).layer().backward(skipTraces[k], dl));
                }
            }
            double[] dIn = layers.get(l).backward(traces[l], dl);
            if (l == 0) {
                dEmbedded = dIn;
            } else {
                addInto(dOutputs, l - 1, dIn);
            }
        }
        dOut = dEmbedded;
        double[] gEmb = embedding.grad();
        for (int i = 0; i < codes.length; i++) {
            int row = codes[i] * e, src = i * e;
            for (int k = 0; k < e; k++) {
                gEmb[row + k] += dOut[src + k];
            }
        }
        return new Pass(logits, loss);
    }

    private static void addInto(double[][] sums, int index, double[] add) {
        if (sums[index] == null) {
            sums[index] = add;
            return;
        }
        double[] s = sums[index];
        for (int i = 0; i < s.length; i++) {
            s[i] += add[i];
        }
    }
}
