package org.prunelab.stages.families.mlp;

import org.prunelab.stages.core.StableMath;
import org.prunelab.stages.prune.Curvature;

/**
 * The second-order information of a masked ReLU {@link Mlp} with a softmax cross-entropy output over a
 * set of samples, for OBD and L-OBS (mlp-pruning protocol §2.2). L is the mean loss over the samples.
 *
 * <p><b>Exact Hessian diagonal.</b> For weight w_jk of layer l (input activation a_k, pre-activation
 * z_j), z_j is linear in w_jk and a_k does not depend on it, so ∂²ℓ/∂w_jk² = a_k²·∂²ℓ/∂z_j². The
 * per-sample Hessian with respect to the pre-activations backpropagates exactly as
 * H_l = diag(f'_l)·W_{l+1}ᵀ·H_{l+1}·W_{l+1}·diag(f'_l) + diag(f''_l ⊙ g_l), g_l the gradient with respect
 * to the activations. For ReLU f'' = 0 (everywhere but at 0, a set of measure zero), so the second term
 * vanishes and H_l = G_l·G_lᵀ with G_L = [√p_c (e_c − p)]_c (so that G_L G_Lᵀ = diag(p) − ppᵀ, the
 * softmax cross-entropy Hessian) and G_l = diag(f'_l)·W_{l+1}ᵀ·G_{l+1}: an (units × classes) matrix per
 * layer, and diag H_l = the row sums of G_l⊙G_l. The test checks it against finite differences.
 *
 * <p><b>Fisher diagonal</b> (OBD's squared-gradient approximation): mean of (δ_j·a_k)², δ the per-sample
 * gradient with respect to z. <b>Input second moments</b> (L-OBS): (1/n)·Σ a aᵀ of every layer's input.
 *
 * <p>Computed lazily, once per kind, in plain loops in sample order (deterministic); pruned weights
 * are 0, so the masked model's products are the dense ones.
 */
public final class MlpCurvature implements Curvature {
    private final Mlp mlp;
    private final double[] x;
    private final int[] y;
    private final int count;
    private double[][] hessian, fisher, moments;

    /** Over the first {@code count} rows of x (normalised, count×features) with labels y. */
    public MlpCurvature(Mlp mlp, double[] x, int[] y, int count) {
        if (count < 1 || x.length < (long) count * mlp.sizes[0] || y.length < count) {
            throw new IllegalArgumentException("curvature needs at least one sample and count rows of data, got count "
                    + count + " with " + x.length + " values and " + y.length + " labels");
        }
        this.mlp = mlp;
        this.x = x;
        this.y = y;
        this.count = count;
    }

    @Override
    public double[] lossHessianDiagonal(int group) {
        if (hessian == null) {
            diagonals();
        }
        return hessian[group];
    }

    @Override
    public double[] fisherDiagonal(int group) {
        if (fisher == null) {
            diagonals();
        }
        return fisher[group];
    }

    @Override
    public double[] inputSecondMoment(int group) {
        if (moments == null) {
            moments();
        }
        return moments[group];
    }

    /** Activations a[0] = x_n, a[l+1] = ReLU(z_l) for hidden layers; the last entry holds the logits. */
    private double[][] forward(int n, double[][] a) {
        int layers = mlp.layers();
        System.arraycopy(x, n * mlp.sizes[0], a[0], 0, mlp.sizes[0]);
        for (int l = 0; l < layers; l++) {
            int in = mlp.in(l), out = mlp.out(l);
            double[] w = mlp.w[l];
            for (int o = 0; o < out; o++) {
                double z = mlp.b[l][o];
                for (int i = 0, base = o * in; i < in; i++) {
                    z += w[base + i] * a[l][i];
                }
                a[l + 1][o] = l < layers - 1 && !(z > 0.0) ? 0.0 : z;
            }
        }
        return a;
    }

    private double[][] activationBuffers() {
        double[][] a = new double[mlp.sizes.length][];
        for (int l = 0; l < a.length; l++) {
            a[l] = new double[mlp.sizes[l]];
        }
        return a;
    }

    private void diagonals() {
        int layers = mlp.layers();
        int classes = mlp.sizes[layers];
        double[][] hs = new double[layers][], fs = new double[layers][];
        double[][] g = new double[layers][];     // G_l, units × classes, row-major
        double[][] delta = new double[layers][]; // per-sample ∂ℓ/∂z_l
        double[][] hDiag = new double[layers][];
        for (int l = 0; l < layers; l++) {
            hs[l] = new double[mlp.weights(l)];
            fs[l] = new double[mlp.weights(l)];
            g[l] = new double[mlp.out(l) * classes];
            delta[l] = new double[mlp.out(l)];
            hDiag[l] = new double[mlp.out(l)];
        }
        double[][] a = activationBuffers();
        double[] p = new double[classes];
        for (int n = 0; n < count; n++) {
            forward(n, a);
            System.arraycopy(a[layers], 0, p, 0, classes);
            StableMath.softmaxInPlace(p, 0, classes);
            double[] gl = g[layers - 1];
            for (int j = 0; j < classes; j++) {
                delta[layers - 1][j] = p[j] - (j == y[n] ? 1.0 : 0.0);
                for (int c = 0; c < classes; c++) {
                    gl[j * classes + c] = Math.sqrt(p[c]) * ((j == c ? 1.0 : 0.0) - p[j]);
                }
            }
            for (int l = layers - 2; l >= 0; l--) { // G_l = diag(f'_l)·W_{l+1}ᵀ·G_{l+1}; the same for δ
                int units = mlp.out(l), above = mlp.out(l + 1);
                double[] w = mlp.w[l + 1];
                for (int j = 0; j < units; j++) {
                    boolean active = a[l + 1][j] > 0.0;
                    double d = 0.0;
                    for (int c = 0; c < classes; c++) {
                        double sum = 0.0;
                        if (active) {
                            for (int u = 0; u < above; u++) {
                                sum += w[u * units + j] * g[l + 1][u * classes + c];
                            }
                        }
                        g[l][j * classes + c] = sum;
                    }
                    if (active) {
                        for (int u = 0; u < above; u++) {
                            d += w[u * units + j] * delta[l + 1][u];
                        }
                    }
                    delta[l][j] = d;
                }
            }
            for (int l = 0; l < layers; l++) {
                int in = mlp.in(l), out = mlp.out(l);
                for (int j = 0; j < out; j++) {
                    double h = 0.0;
                    for (int c = 0; c < classes; c++) {
                        h += g[l][j * classes + c] * g[l][j * classes + c];
                    }
                    double d2 = delta[l][j] * delta[l][j];
                    if (h == 0.0 && d2 == 0.0) {
                        continue; // an inactive unit: no curvature from this sample
                    }
                    double[] al = a[l];
                    for (int k = 0, base = j * in; k < in; k++) {
                        double a2 = al[k] * al[k];
                        hs[l][base + k] += a2 * h;
                        fs[l][base + k] += a2 * d2;
                    }
                }
            }
        }
        for (int l = 0; l < layers; l++) {
            for (int j = 0; j < hs[l].length; j++) {
                hs[l][j] /= count;
                fs[l][j] /= count;
            }
        }
        hessian = hs;
        fisher = fs;
    }

    private void moments() {
        int layers = mlp.layers();
        double[][] m = new double[layers][];
        for (int l = 0; l < layers; l++) {
            m[l] = new double[mlp.in(l) * mlp.in(l)];
        }
        double[][] a = activationBuffers();
        for (int n = 0; n < count; n++) {
            forward(n, a);
            for (int l = 0; l < layers; l++) {
                int in = mlp.in(l);
                double[] al = a[l];
                for (int i = 0; i < in; i++) {
                    double ai = al[i];
                    if (ai == 0.0) {
                        continue;
                    }
                    for (int k = i, base = i * in; k < in; k++) { // upper triangle; mirrored below
                        m[l][base + k] += ai * al[k];
                    }
                }
            }
        }
        for (int l = 0; l < layers; l++) {
            int in = mlp.in(l);
            for (int i = 0; i < in; i++) {
                for (int k = i; k < in; k++) {
                    double v = m[l][i * in + k] / count;
                    m[l][i * in + k] = v;
                    m[l][k * in + i] = v;
                }
            }
        }
        moments = m;
    }
}
