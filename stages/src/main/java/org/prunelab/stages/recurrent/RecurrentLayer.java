package org.prunelab.stages.recurrent;

import java.util.List;
import java.util.SplittableRandom;
import org.prunelab.stages.core.StableMath;

/**
 * One masked recurrent layer over a time-major batch: {@code xs[t]} is B×I, the output {@code hs[t]}
 * is B×H, the initial state is 0. Weights follow PyTorch's layout — W_ih is (G·H)×I and W_hh is
 * (G·H)×H with the G gate blocks stacked (see {@link CellType}), each with its own bias — so masks
 * and magnitudes mean what they meant in the authors' code.
 *
 * <p>Both weight matrices are masked; biases never are. Back-propagation through time collects the
 * pre-activation gradients of all steps and forms the weight gradients with one product each,
 * after the loop, so the per-step work is only the recurrence itself.
 */
public final class RecurrentLayer {
    private final CellType cell;
    private final int in;
    private final int hidden;
    private final int gh;   // G·H, the rows of both weight matrices
    final Parameter wIh;
    final Parameter wHh;
    final Parameter bIh;
    final Parameter bHh;

    public RecurrentLayer(String name, CellType cell, int in, int hidden) {
        if (in < 1 || hidden < 1) {
            throw new IllegalArgumentException(name + ": sizes must be positive, got in=" + in + " hidden=" + hidden);
        }
        this.cell = cell;
        this.in = in;
        this.hidden = hidden;
        this.gh = cell.gates() * hidden;
        wIh = new Parameter(name + ".w_ih", gh, in, true);
        wHh = new Parameter(name + ".w_hh", gh, hidden, true);
        bIh = new Parameter(name + ".b_ih", 1, gh, false);
        bHh = new Parameter(name + ".b_hh", 1, gh, false);
    }

    public CellType cell() {
        return cell;
    }

    public int in() {
        return in;
    }

    public int hidden() {
        return hidden;
    }

    public Parameter inputWeights() {
        return wIh;
    }

    public Parameter recurrentWeights() {
        return wHh;
    }

    /** In PyTorch's registration order: weight_ih, weight_hh, bias_ih, bias_hh. */
    public List<Parameter> parameters() {
        return List.of(wIh, wHh, bIh, bHh);
    }

    /** Every parameter ~ U(−1/√H, 1/√H), drawn in {@link #parameters()} order; masks re-applied. */
    public void initialise(SplittableRandom rng) {
        double bound = 1.0 / Math.sqrt(hidden);
        for (Parameter p : parameters()) {
            double[] v = p.value();
            for (int i = 0; i < v.length; i++) {
                v[i] = (2 * rng.nextDouble() - 1) * bound;
            }
            p.applyMask();
        }
    }

    /** What the forward pass keeps for the backward pass. */
    public static final class Trace {
        final int steps;
        final int batch;
        final double[] x;      // (T·B)×I, the inputs, time-major (the caller's array)
        final double[] h;      // (T·B)×H, the outputs
        final double[] gates;  // (T·B)×GH, post-activation gates (RNN: unused)
        final double[] aux;    // (T·B)×H: GRU W_hn h + b_hn; LSTM cell state c

        /** {@code x} is kept by reference: callers never change an input after passing it. */
        Trace(double[] x, int steps, int batch, int hidden, int gh, boolean gated) {
            this.steps = steps;
            this.batch = batch;
            this.x = x;
            h = new double[steps * batch * hidden];
            gates = gated ? new double[steps * batch * gh] : new double[0];
            aux = gated ? new double[steps * batch * hidden] : new double[0];
        }

        /** Outputs of all steps, (T·B)×H, time-major: row t·B + b. */
        public double[] outputs() {
            return h;
        }

        public int steps() {
            return steps;
        }

        public int batch() {
            return batch;
        }
    }

    /** Runs the layer over {@code x} ((T·B)×I, time-major) and returns the trace with the outputs. */
    public Trace forward(double[] x, int steps, int batch) {
        if (x.length != steps * batch * in) {
            throw new IllegalArgumentException("input has " + x.length + " values, expected T·B·I = "
                    + steps + "·" + batch + "·" + in);
        }
        Trace tr = new Trace(x, steps, batch, hidden, gh, cell.gates() > 1);
        double[] gx = new double[steps * batch * gh];
        Products.timesTransposed(x, steps * batch, in, wIh.value(), gh, bIh.value(), gx);
        double[] ghBuf = new double[batch * gh];
        double[] zeros = new double[batch * hidden];
        double[] cZeros = new double[batch * hidden];
        for (int t = 0; t < steps; t++) {
            int rowH = t * batch * hidden;
            double[] hPrev = t == 0 ? zeros : tr.h;
            int hPrevOff = t == 0 ? 0 : (t - 1) * batch * hidden;
            Products.timesTransposed(hPrev, hPrevOff, batch, hidden, wHh.value(), gh, bHh.value(), ghBuf, 0);
            int rowG = t * batch * gh;
            for (int b = 0; b < batch; b++) {
                int g0 = rowG + b * gh, r0 = b * gh, h0 = rowH + b * hidden, p0 = hPrevOff + b * hidden;
                switch (cell) {
                    case RNN_TANH, RNN_RELU -> {
                        for (int j = 0; j < hidden; j++) {
                            double a = gx[g0 + j] + ghBuf[r0 + j];
                            tr.h[h0 + j] = cell == CellType.RNN_TANH ? StableMath.tanh(a) : Math.max(0.0, a);
                        }
                    }
                    case GRU -> {
                        for (int j = 0; j < hidden; j++) {
                            double r = sigmoid(gx[g0 + j] + ghBuf[r0 + j]);
                            double z = sigmoid(gx[g0 + hidden + j] + ghBuf[r0 + hidden + j]);
                            double hn = ghBuf[r0 + 2 * hidden + j];
                            double n = StableMath.tanh(gx[g0 + 2 * hidden + j] + r * hn);
                            tr.gates[g0 + j] = r;
                            tr.gates[g0 + hidden + j] = z;
                            tr.gates[g0 + 2 * hidden + j] = n;
                            tr.aux[h0 + j] = hn;
                            tr.h[h0 + j] = n + z * (hPrev[p0 + j] - n);
                        }
                    }
                    case LSTM -> {
                        double[] cPrev = t == 0 ? cZeros : tr.aux;
                        for (int j = 0; j < hidden; j++) {
                            double i = sigmoid(gx[g0 + j] + ghBuf[r0 + j]);
                            double f = sigmoid(gx[g0 + hidden + j] + ghBuf[r0 + hidden + j]);
                            double g = StableMath.tanh(gx[g0 + 2 * hidden + j] + ghBuf[r0 + 2 * hidden + j]);
                            double o = sigmoid(gx[g0 + 3 * hidden + j] + ghBuf[r0 + 3 * hidden + j]);
                            double c = f * cPrev[p0 + j] + i * g;
                            tr.gates[g0 + j] = i;
                            tr.gates[g0 + hidden + j] = f;
                            tr.gates[g0 + 2 * hidden + j] = g;
                            tr.gates[g0 + 3 * hidden + j] = o;
                            tr.aux[h0 + j] = c;
                            tr.h[h0 + j] = o * StableMath.tanh(c);
                        }
                    }
                    default -> throw new IllegalStateException(cell.name());
                }
            }
        }
        return tr;
    }

    /**
     * Back-propagation through time. {@code dh} ((T·B)×H) is the loss gradient with respect to every
     * output; the weight and bias gradients are ADDED to the parameters' gradients (masked), and the
     * gradient with respect to the inputs is returned ((T·B)×I).
     */
    public double[] backward(Trace tr, double[] dh) {
        int steps = tr.steps, batch = tr.batch;
        double[] dGx = new double[steps * batch * gh];   // gradients of the pre-activations fed by x
        double[] dGh = new double[steps * batch * gh];   // ... and by h (they differ only for GRU's n)
        double[] dhNext = new double[batch * hidden];
        double[] dcNext = new double[batch * hidden];
        for (int t = steps - 1; t >= 0; t--) {
            int rowH = t * batch * hidden, rowG = t * batch * gh;
            int prevH = (t - 1) * batch * hidden;
            for (int b = 0; b < batch; b++) {
                int g0 = rowG + b * gh, h0 = rowH + b * hidden, n0 = b * hidden;
                for (int j = 0; j < hidden; j++) {
                    double d = dh[h0 + j] + dhNext[n0 + j];
                    double hPrev = t == 0 ? 0.0 : tr.h[prevH + b * hidden + j];
                    switch (cell) {
                        case RNN_TANH -> {
                            double y = tr.h[h0 + j];
                            dGx[g0 + j] = d * (1 - y * y);
                            dGh[g0 + j] = dGx[g0 + j];
                            dhNext[n0 + j] = 0.0;
                        }
                        case RNN_RELU -> {
                            dGx[g0 + j] = tr.h[h0 + j] > 0 ? d : 0.0;
                            dGh[g0 + j] = dGx[g0 + j];
                            dhNext[n0 + j] = 0.0;
                        }
                        case GRU -> {
                            double r = tr.gates[g0 + j], z = tr.gates[g0 + hidden + j], n = tr.gates[g0 + 2 * hidden + j];
                            double dn = d * (1 - z) * (1 - n * n);
                            double dz = d * (hPrev - n) * z * (1 - z);
                            double dr = dn * tr.aux[h0 + j] * r * (1 - r);
                            dGx[g0 + j] = dr;
                            dGh[g0 + j] = dr;
                            dGx[g0 + hidden + j] = dz;
                            dGh[g0 + hidden + j] = dz;
                            dGx[g0 + 2 * hidden + j] = dn;
                            dGh[g0 + 2 * hidden + j] = dn * r;
                            dhNext[n0 + j] = d * z;          // the direct path h → h'
                        }
                        case LSTM -> {
                            double i = tr.gates[g0 + j], f = tr.gates[g0 + hidden + j];
                            double g = tr.gates[g0 + 2 * hidden + j], o = tr.gates[g0 + 3 * hidden + j];
                            double c = tr.aux[h0 + j];
                            double cPrev = t == 0 ? 0.0 : tr.aux[prevH + b * hidden + j];
                            double tc = StableMath.tanh(c);
                            double dc = dcNext[n0 + j] + d * o * (1 - tc * tc);
                            dGx[g0 + j] = dc * g * i * (1 - i);
                            dGx[g0 + hidden + j] = dc * cPrev * f * (1 - f);
                            dGx[g0 + 2 * hidden + j] = dc * i * (1 - g * g);
                            dGx[g0 + 3 * hidden + j] = d * tc * o * (1 - o);
                            for (int k = 0; k < 4; k++) {
                                dGh[g0 + k * hidden + j] = dGx[g0 + k * hidden + j];
                            }
                            dcNext[n0 + j] = dc * f;
                            dhNext[n0 + j] = 0.0;
                        }
                        default -> throw new IllegalStateException(cell.name());
                    }
                }
            }
            if (t > 0) {
                // dh_{t-1} += dGh_t · W_hh (the recurrent path), added to the direct path set above.
                Products.timesAccumulate(dGh, rowG, batch, gh, wHh.value(), hidden, dhNext);
            }
        }
        Products.transposedTimesAccumulate(dGx, steps * batch, gh, tr.x, in, wIh.grad());
        // Σ_t dGh_tᵀ h_{t-1}: step 0 sees h = 0 and adds nothing, so rows t ≥ 1 of dGh meet rows t − 1 of h.
        if (steps > 1) {
            Products.transposedTimesAccumulate(dGh, batch * gh, (steps - 1) * batch, gh, tr.h, 0, hidden, wHh.grad());
        }
        Products.columnSumsAccumulate(dGx, steps * batch, gh, bIh.grad());
        Products.columnSumsAccumulate(dGh, steps * batch, gh, bHh.grad());
        wIh.maskGrad();
        wHh.maskGrad();
        double[] dx = new double[steps * batch * in];
        Products.timesAccumulate(dGx, steps * batch, gh, wIh.value(), in, dx);
        return dx;
    }

    static double sigmoid(double a) {
        return 1.0 / (1.0 + Math.exp(-a));
    }
}
