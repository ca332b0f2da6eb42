package org.prunelab.stages.families.mlp;

import java.util.Arrays;
import org.prunelab.stages.core.StableMath;
import org.prunelab.stages.kernel.KeptWeights;
import org.prunelab.stages.kernel.LayerKernel;
import org.prunelab.stages.kernel.PrecisionKernels;
import org.prunelab.stages.linalg.Numerics;
import org.prunelab.stages.linalg.Precision;

/**
 * Forward and backward passes of one {@link Mlp} through per-layer kernels: ReLU hidden layers,
 * softmax output, mean softmax cross-entropy over the batch (PyTorch's {@code CrossEntropyLoss}).
 *
 * <p>Kernels are chosen once from the masks, so a pass is valid only while the masks stay as they
 * were (weights may change). Keeps scratch buffers between calls: not for two threads at once.
 */
public final class MlpPass {
    private final Mlp mlp;
    private final LayerKernel[] kernels;
    private final KeptWeights[] kept;          // per layer, built lazily from its mask
    private final double[][] prunedZero;       // per layer: the gradient array this pass last left 0 at pruned entries
    private double[][] acts = new double[0][];   // acts[l+1] = output of layer l (post-ReLU for hidden)
    private double[] dz = new double[0], dx = new double[0];
    private int capacity;

    public MlpPass(Mlp mlp, LayerKernel[] kernels) {
        if (kernels.length != mlp.layers()) {
            throw new IllegalArgumentException("need " + mlp.layers() + " kernels, got " + kernels.length);
        }
        for (int l = 0; l < kernels.length; l++) {
            if (kernels[l].in() != mlp.in(l) || kernels[l].out() != mlp.out(l)) {
                throw new IllegalArgumentException("kernel " + l + " is " + kernels[l].out() + "x" + kernels[l].in()
                        + ", layer is " + mlp.out(l) + "x" + mlp.in(l));
            }
        }
        this.mlp = mlp;
        this.kernels = kernels.clone();
        this.kept = new KeptWeights[kernels.length];
        this.prunedZero = new double[kernels.length][];
    }

    /** One kernel per layer by "dense" | "sparse" | "auto" (auto decides per layer from its mask). */
    public static MlpPass of(Mlp mlp, String kernelChoice) {
        return of(mlp, kernelChoice, Precision.FLOAT64);
    }

    /** As {@link #of(Mlp, String)}, the dense layers' products in {@code precision} ({@code runtime.precision}). */
    public static MlpPass of(Mlp mlp, String kernelChoice, Precision precision) {
        LayerKernel[] k = new LayerKernel[mlp.layers()];
        for (int l = 0; l < k.length; l++) {
            k[l] = PrecisionKernels.layer(mlp.mask[l], mlp.in(l), mlp.out(l), kernelChoice, precision);
        }
        return new MlpPass(mlp, k);
    }

    public Mlp model() {
        return mlp;
    }

    /** Kernel names per layer, e.g. "dense,sparse". */
    public String kernelNames() {
        StringBuilder s = new StringBuilder();
        for (LayerKernel k : kernels) {
            s.append(s.length() == 0 ? "" : ",").append(k.name());
        }
        return s.toString();
    }

    private void ensure(int n) {
        if (n <= capacity) {
            return;
        }
        int layers = mlp.layers();
        acts = new double[layers + 1][];
        int widest = 0;
        for (int l = 1; l <= layers; l++) {
            acts[l] = new double[n * mlp.sizes[l]];
        }
        for (int s : mlp.sizes) {
            widest = Math.max(widest, s);
        }
        dz = new double[n * widest];
        dx = new double[n * widest];
        capacity = n;
    }

    /** Output logits (pre-softmax), n×classes, into {@code out}. */
    public void logits(double[] x, int n, double[] out) {
        forward(x, n);
        int classes = mlp.sizes[mlp.layers()];
        System.arraycopy(acts[mlp.layers()], 0, out, 0, n * classes);
    }

    private void forward(double[] x, int n) {
        ensure(Math.max(n, 1));
        acts[0] = x;
        int layers = mlp.layers();
        for (int l = 0; l < layers; l++) {
            kernels[l].forward(mlp.w[l], mlp.b[l], acts[l], n, acts[l + 1]);
            if (l < layers - 1) {
                double[] a = acts[l + 1];
                for (int j = 0, end = n * mlp.out(l); j < end; j++) {
                    if (!(a[j] > 0.0)) {
                        a[j] = 0.0;
                    }
                }
            }
        }
    }

    /**
     * Mean cross-entropy of the batch and its gradients: gw[l] (masked: exactly 0 where the mask is
     * 0) and gb[l], both of the mean loss. Overwrites gw and gb.
     *
     * <p>A gw[l] passed again (the same array) must still be 0 at pruned entries, as this method left
     * it (weight decay adds λ·0 there): with a kernel that writes kept entries only, only those are
     * cleared (cost ∝ kept weights, not the full matrix). The trainer's arrays satisfy this.
     */
    public double lossAndGradient(double[] x, int[] y, int n, double[][] gw, double[][] gb) {
        if (n < 1) {
            throw new IllegalArgumentException("batch must have at least one row, got " + n);
        }
        forward(x, n);
        int layers = mlp.layers();
        int classes = mlp.sizes[layers];
        double[] z = acts[layers];
        // dz = (softmax(z) − onehot(y)) / n: the gradient of the mean cross-entropy.
        double loss = StableMath.softmaxCrossEntropy(z, y, n, classes, dz);
        for (int l = layers - 1; l >= 0; l--) {
            int in = mlp.in(l), out = mlp.out(l);
            byte[] m = mlp.mask[l];
            boolean keptOnly = kernels[l].writesKeptGradientOnly();
            if (keptOnly && prunedZero[l] == gw[l] && kept[l] != null && kept[l].matches(m)) {
                kept[l].zero(gw[l]);
            } else {
                Arrays.fill(gw[l], 0.0);
                if (keptOnly && (kept[l] == null || !kept[l].matches(m))) {
                    kept[l] = KeptWeights.of(m, Numerics.threads());
                }
            }
            kernels[l].weightGradient(acts[l], dz, n, 1.0, gw[l]);
            if (!keptOnly) {
                for (int j = 0; j < m.length; j++) {
                    if (m[j] == 0) {
                        gw[l][j] = 0.0; // the dense kernel computed it; pruned weights never learn
                    }
                }
            }
            prunedZero[l] = keptOnly ? gw[l] : null;
            double[] g = gb[l];
            Arrays.fill(g, 0.0);
            for (int r = 0; r < n; r++) {
                for (int o = 0; o < out; o++) {
                    g[o] += dz[r * out + o];
                }
            }
            if (l > 0) {
                kernels[l].backwardInput(mlp.w[l], dz, n, dx);
                double[] a = acts[l];
                for (int j = 0, end = n * in; j < end; j++) {
                    dz[j] = a[j] > 0.0 ? dx[j] : 0.0; // ReLU'(z) = 1 iff the activation is positive
                }
            }
        }
        return loss;
    }

    /** Accuracy (fraction correct, first maximal logit wins) and mean cross-entropy of a data set. */
    public Score score(double[] x, int[] y, int count, int batch) {
        int features = mlp.sizes[0];
        int classes = mlp.sizes[mlp.layers()];
        double[] buf = new double[batch * features];
        double[] z = new double[batch * classes];
        long correct = 0;
        double loss = 0.0;
        for (int start = 0; start < count; start += batch) {
            int n = Math.min(batch, count - start);
            System.arraycopy(x, start * features, buf, 0, n * features);
            logits(buf, n, z);
            for (int r = 0; r < n; r++) {
                int zb = r * classes;
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (z[zb + c] > z[zb + best]) {
                        best = c;
                    }
                }
                int label = y[start + r];
                loss += StableMath.crossEntropyOfRow(z, zb, classes, label);
                if (best == label) {
                    correct++;
                }
            }
        }
        return new Score(count == 0 ? Double.NaN : (double) correct / count, count == 0 ? Double.NaN : loss / count);
    }

    /** Accuracy as a fraction in [0, 1] and mean cross-entropy in nats. */
    public record Score(double accuracy, double loss) {
    }
}
