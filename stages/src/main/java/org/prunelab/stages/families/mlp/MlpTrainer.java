package org.prunelab.stages.families.mlp;

import java.util.Arrays;
import org.prunelab.stages.core.Optimizers;
import org.prunelab.stages.kernel.KeptWeights;
import org.prunelab.stages.linalg.Numerics;
import org.prunelab.stages.prune.Masks;

/**
 * Mini-batch training of a masked {@link Mlp} with SGD(+momentum) or Adam, PyTorch semantics.
 *
 * <p>Masks (protocol §2.2/§2.3, pruned weights stay pruned through re-training): the gradient is masked
 * before it enters momentum or the Adam moments, and after every update w ← M⊙w and every weight
 * moment ← M⊙moment, so pruned weights and their optimiser state are exactly 0.0.
 *
 * <pre>
 *   sgd:  v = μ·v + g;  w −= lr·v                     (PyTorch's first step v = g equals μ·0 + g)
 *   adam: t += 1;  m = β1·m + (1−β1)·g;  s = β2·s + (1−β2)·g²;
 *         w −= (lr/(1−β1ᵗ)) · m / (√s/√(1−β2ᵗ) + ε)
 * </pre>
 * Biases are updated the same way and never masked. The weight updates visit kept weights only
 * ({@link KeptWeights}, on {@code runtime.threads}): pruned weights and their moments are set to 0
 * once per state and mask, and are never touched again, which gives the bits of the full-matrix
 * masked loops of {@code Optimizers}. Deterministic for any thread count.
 */
public final class MlpTrainer {
    private final OptimizerSettings settings;
    private final MlpPass pass;
    private final double[][] gw, gb;
    private final MlpRegularisation regularisation;
    private KeptWeights[] kept;     // per layer, for keptFor's masks
    private State keptFor;          // the state whose pruned weights and moments kept[] has zeroed

    /** The pass must be built for {@code state.mlp} (its kernels are bound to the masks). */
    public MlpTrainer(OptimizerSettings settings, MlpPass pass) {
        this(settings, pass, MlpRegularisation.NONE);
    }

    /** With weight decay and/or dropout (the pass from {@link MlpRegularisation#pass} for dropout). */
    public MlpTrainer(OptimizerSettings settings, MlpPass pass, MlpRegularisation regularisation) {
        this.regularisation = regularisation;
        this.settings = settings;
        this.pass = pass;
        Mlp m = pass.model();
        gw = new double[m.layers()][];
        gb = new double[m.layers()][];
        for (int l = 0; l < m.layers(); l++) {
            gw[l] = new double[m.w[l].length];
            gb[l] = new double[m.b[l].length];
        }
    }

    public OptimizerSettings settings() {
        return settings;
    }

    public MlpPass pass() {
        return pass;
    }

    public MlpRegularisation regularisation() {
        return regularisation;
    }

    /** Model plus optimiser state: everything an exact resume needs. */
    public static final class State {
        public final Mlp mlp;
        /** SGD velocity or Adam first moment, per layer, for weights and biases. */
        public final double[][] m1w, m1b;
        /** Adam second moment (zero and unused for SGD). */
        public final double[][] m2w, m2b;
        /** Adam step count t. */
        public long step;

        public State(Mlp mlp, double[][] m1w, double[][] m1b, double[][] m2w, double[][] m2b, long step) {
            for (int l = 0; l < mlp.layers(); l++) {
                if (m1w[l].length != mlp.w[l].length || m2w[l].length != mlp.w[l].length
                        || m1b[l].length != mlp.b[l].length || m2b[l].length != mlp.b[l].length) {
                    throw new IllegalArgumentException("optimiser state of layer " + l + " does not match the model");
                }
                for (int j = 0; j < mlp.mask[l].length; j++) {
                    if (mlp.mask[l][j] == 0 && (m1w[l][j] != 0.0 || m2w[l][j] != 0.0)) {
                        throw new IllegalArgumentException("optimiser state of pruned weight " + j + " in layer " + l
                                + " is not zero");
                    }
                }
            }
            this.mlp = mlp;
            this.m1w = m1w;
            this.m1b = m1b;
            this.m2w = m2w;
            this.m2b = m2b;
            this.step = step;
        }

        /** Fresh optimiser state (all moments 0, t = 0) for this model, as a newly built optimiser has. */
        public static State fresh(Mlp mlp) {
            int layers = mlp.layers();
            double[][] a = new double[layers][], b = new double[layers][], c = new double[layers][], d = new double[layers][];
            for (int l = 0; l < layers; l++) {
                a[l] = new double[mlp.w[l].length];
                c[l] = new double[mlp.w[l].length];
                b[l] = new double[mlp.b[l].length];
                d[l] = new double[mlp.b[l].length];
            }
            return new State(mlp, a, b, c, d, 0);
        }

        /** Zeroes every moment and the step count (PyTorch: a new optimiser over the same parameters). */
        public void resetOptimiser() {
            for (double[][] x : new double[][][] {m1w, m1b, m2w, m2b}) {
                for (double[] y : x) {
                    Arrays.fill(y, 0.0);
                }
            }
            step = 0;
        }

        /** w ← M⊙w and moment ← M⊙moment, e.g. after the masks were lowered by pruning. */
        public void applyMasks() {
            for (int l = 0; l < mlp.layers(); l++) {
                byte[] m = mlp.mask[l];
                for (int j = 0; j < m.length; j++) {
                    if (m[j] == 0) {
                        mlp.w[l][j] = 0.0;
                        m1w[l][j] = 0.0;
                        m2w[l][j] = 0.0;
                    }
                }
            }
        }

        /**
         * The same optimiser state over {@code pruned}, a copy of this model with lower masks: the
         * moments are copied and those of newly pruned weights zeroed (protocol §2.3: one optimiser
         * survives every pruning step of a run).
         */
        public State withModel(Mlp pruned) {
            double[][] a = Mlp.deepCopy(m1w), c = Mlp.deepCopy(m2w);
            for (int l = 0; l < pruned.layers(); l++) {
                byte[] m = pruned.mask[l];
                for (int j = 0; j < m.length; j++) {
                    if (m[j] == 0) {
                        a[l][j] = 0.0;
                        c[l][j] = 0.0;
                    }
                }
            }
            return new State(pruned, a, Mlp.deepCopy(m1b), c, Mlp.deepCopy(m2b), step);
        }
    }

    /** One update on a batch of n rows (x: n×features, normalised); returns the batch's mean loss. */
    public double update(State st, double[] x, int[] y, int n, double lr) {
        Mlp mlp = st.mlp;
        if (mlp != pass.model()) {
            throw new IllegalArgumentException("trainer's pass was built for another model instance");
        }
        // Regularisation (protocol §2.5) around the pass: dropout on only for this gradient, then weight decay.
        double loss = regularisation.trainingPass(() -> pass.lossAndGradient(x, y, n, gw, gb));
        regularisation.addDecay(mlp, gw, gb);
        KeptWeights[] k = keptWeights(st);
        if (settings.adam()) {
            st.step++;
            Optimizers.AdamStep step = Optimizers.AdamStep.at(st.step, lr, settings.beta1(), settings.beta2(),
                    settings.epsilon());
            for (int l = 0; l < mlp.layers(); l++) {
                k[l].adam(mlp.w[l], gw[l], st.m1w[l], st.m2w[l], step.beta1(), step.beta2(), step.epsilon(),
                        step.stepSize(), step.bc2Sqrt());
                Optimizers.adam(mlp.b[l], gb[l], st.m1b[l], st.m2b[l], null, step);
            }
        } else {
            double mu = settings.momentum();
            for (int l = 0; l < mlp.layers(); l++) {
                k[l].sgd(mlp.w[l], gw[l], st.m1w[l], mu, lr);
                Optimizers.sgd(mlp.b[l], gb[l], st.m1b[l], null, mu, lr);
            }
        }
        return loss;
    }

    /**
     * The kept-weight index of each layer of {@code st}; built (and the pruned weights and moments
     * of {@code st} set to exactly 0.0, as the masked optimiser loops did on every update) when the
     * state or a mask differs from the last update's.
     */
    private KeptWeights[] keptWeights(State st) {
        Mlp mlp = st.mlp;
        boolean valid = kept != null && keptFor == st && kept.length == mlp.layers();
        for (int l = 0; valid && l < mlp.layers(); l++) {
            valid = kept[l].matches(mlp.mask[l]);
        }
        if (!valid) {
            KeptWeights[] k = new KeptWeights[mlp.layers()];
            for (int l = 0; l < k.length; l++) {
                k[l] = KeptWeights.of(mlp.mask[l], Numerics.threads());
                k[l].enforce(mlp.w[l], st.m1w[l], st.m2w[l]);
            }
            kept = k;
            keptFor = st;
        }
        return kept;
    }
}
