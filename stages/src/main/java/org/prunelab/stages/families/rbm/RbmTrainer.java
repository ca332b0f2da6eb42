package org.prunelab.stages.families.rbm;

import java.util.SplittableRandom;
import org.prunelab.stages.core.Optimizers;
import org.prunelab.stages.core.StableMath;
import org.prunelab.stages.kernel.KeptWeights;
import org.prunelab.stages.kernel.MaskedDenseKernel;
import org.prunelab.stages.kernel.SigmoidBernoulli;
import org.prunelab.stages.linalg.Numerics;

/**
 * One CD-k / PCD-k step with SGD + momentum + L2 weight decay (protocol §4), honouring the mask.
 *
 * <p>Gradient ascent on the log-likelihood, with p(h|v) (not samples) in the statistics, as in
 * Hinton's practical guide. The update itself is {@link Optimizers#sgdLrInVelocity}, which descends:
 * it is given the negated log-likelihood gradient, so its velocities are the negated velocities of
 * the guide and the weights come out the same:
 * <pre>
 *   gW = M ⊙ (⟨v p(h|v)⟩_model − ⟨v p(h|v)⟩_data)        masked BEFORE momentum and decay
 *   velW = mom·velW + lr·(gW + weightDecay·W);  W −= velW;  then W ← M⊙W, velW ← M⊙velW
 *   velA = mom·velA + lr·(⟨v⟩_model − ⟨v⟩_data);  a −= velA   (no decay on biases)
 *   velB = mom·velB + lr·(⟨p(h|v)⟩_model − ⟨p(h|v)⟩_data);  b −= velB
 * </pre>
 * The negative phase runs k Gibbs steps (binary h, then binary v) from the batch (CD) or from the
 * persistent chains (PCD), which it then overwrites. Data and model averages are each over their own
 * row count, so PCD may use a chain count different from the batch size.
 *
 * <p>The draws of an update come from {@link UpdateNoise}: in {@code runtime.sampling: sequential} one
 * SplittableRandom drawn in index order (the draws stay on one thread; the sigmoids are split over the
 * threads, with the same bits), in {@code counter} the counter-based generator, each draw fused with
 * its sigmoid and split over the threads, every sigmoid of the update by the vectorisable
 * {@code PolynomialSigmoid} ({@link SigmoidBernoulli}).
 *
 * <p>Keeps scratch buffers between calls, so one trainer must not be used from two threads at once.
 */
public final class RbmTrainer {
    private final TrainingSettings s;
    private final MaskedDenseKernel kernel;
    // Sigmoids and counter-based draws over rows split between the threads of the kernel's era.
    private final SigmoidBernoulli elementwise = new SigmoidBernoulli(Numerics.threads());

    // Scratch, reused while the shapes stay the same.
    private double[] gradW = new double[0];
    private double[] hData = new double[0], vModel = new double[0], hModel = new double[0], pre = new double[0];
    // The mask's kept positions: gradient and optimiser loops skip pruned weights (rebuilt if the mask changes).
    private KeptWeights kept;

    public RbmTrainer(TrainingSettings s, MaskedDenseKernel kernel) {
        this.s = s;
        this.kernel = kernel;
    }

    public TrainingSettings settings() {
        return s;
    }

    public MaskedDenseKernel kernel() {
        return kernel;
    }

    /** Optimiser and chain state; everything needed for an exact resume. */
    public static final class State {
        public final Rbm rbm;
        public final double[] velW, velA, velB;
        /** nChains*nv binary 0/1 (PCD), empty for CD. */
        public final double[] chains;

        public State(Rbm rbm, double[] velW, double[] velA, double[] velB, double[] chains) {
            if (velW.length != rbm.w.length || velA.length != rbm.nv || velB.length != rbm.nh) {
                throw new IllegalArgumentException("velocity lengths " + velW.length + "/" + velA.length + "/"
                        + velB.length + " do not match the RBM " + rbm.nv + "x" + rbm.nh);
            }
            if (chains.length % rbm.nv != 0) {
                throw new IllegalArgumentException("chains length " + chains.length + " is not a multiple of nv=" + rbm.nv);
            }
            for (int j = 0; j < velW.length; j++) {
                if (rbm.mask[j] == 0 && velW[j] != 0.0) {
                    throw new IllegalArgumentException("velW[" + j + "] = " + velW[j] + " is pruned by the mask but not zero");
                }
            }
            this.rbm = rbm;
            this.velW = velW;
            this.velA = velA;
            this.velB = velB;
            this.chains = chains;
        }

        public int chainCount() {
            return chains.length / rbm.nv;
        }

        /** A deep copy (for checkpoints taken while training continues). */
        public State copy() {
            return new State(rbm.copy(), velW.clone(), velA.clone(), velB.clone(), chains.clone());
        }
    }

    /**
     * Zero velocities; for PCD, {@code settings.chains()} chains each started from a training image
     * drawn uniformly with replacement (protocol §4). Each pixel is set by one Bernoulli draw with the
     * pixel value as probability, which copies binary data exactly and binarises grey data.
     */
    public State initialState(Rbm rbm, double[] data, int nData, SplittableRandom rng) {
        int nv = rbm.nv;
        double[] chains;
        if (s.persistent()) {
            if (nData < 1 || data.length < (long) nData * nv) {
                throw new IllegalArgumentException("need at least one training image of " + nv + " pixels for PCD chains, got nData="
                        + nData + " and " + data.length + " values");
            }
            chains = new double[s.chains() * nv];
            for (int c = 0; c < s.chains(); c++) {
                int src = rng.nextInt(nData) * nv;
                for (int i = 0; i < nv; i++) {
                    chains[c * nv + i] = rng.nextDouble() < data[src + i] ? 1.0 : 0.0;
                }
            }
        } else {
            chains = new double[0];
        }
        return new State(rbm, new double[rbm.w.length], new double[nv], new double[rbm.nh], chains);
    }

    /**
     * One update on a minibatch (n rows of data, flat n*nv), drawing from {@code rng} in index order
     * ({@code runtime.sampling: sequential}). Mask enforced on gradient (before momentum/decay) and on
     * weights after the update: pruned entries of w AND velW stay exactly 0.0.
     */
    public void update(State st, double[] batch, int n, int epoch, SplittableRandom rng) {
        update(st, batch, n, epoch, UpdateNoise.sequential(rng));
    }

    /**
     * One update on a minibatch (n rows of data, flat n*nv) with the draws of {@code noise}: sequential
     * or counter-based (then every Bernoulli draw is fused with its sigmoid and split over the threads).
     * Mask enforced on gradient (before momentum/decay) and on weights after the update: pruned entries
     * of w AND velW stay exactly 0.0.
     */
    public void update(State st, double[] batch, int n, int epoch, UpdateNoise noise) {
        Rbm rbm = st.rbm;
        int nv = rbm.nv, nh = rbm.nh;
        if (n < 1 || batch.length < (long) n * nv) {
            throw new IllegalArgumentException("batch needs n >= 1 rows of " + nv + " values, got n=" + n + " and "
                    + batch.length + " values");
        }
        int m = s.persistent() ? st.chainCount() : n;
        if (m < 1) {
            throw new IllegalArgumentException("PCD state has no chains");
        }
        ensureScratch(rbm.w.length, n, m, nv, nh);
        // W may have changed in place since the last update (a restore, pruning): a kernel that keeps a
        // converted copy (float32) refreshes it once here, not once per product.
        kernel.weightsChanged();

        if (noise.isCounter()) {
            phasesCounter(st, batch, n, m, noise);
        } else {
            phasesSequential(st, batch, n, m, noise.rng());
        }
        if (s.persistent()) {
            System.arraycopy(vModel, 0, st.chains, 0, m * nv);
        }

        // Loss gradient (negated log-likelihood gradient); the kernel leaves masked entries at their 0
        // (protocol §4 mask rule 1). Negating alpha negates every product exactly, so the weights are
        // those of the ascent form.
        if (kept == null || !kept.matches(rbm.mask)) {
            kept = KeptWeights.of(rbm.mask, Numerics.threads());
            kept.enforce(rbm.w, st.velW, gradW); // from here on only kept positions are written
        }
        kept.zero(gradW); // pruned entries are 0 already: the kernels never write them
        kernel.contrastiveGradient(rbm, batch, hData, n, vModel, hModel, m, gradW);

        double mom = s.momentum(epoch);
        double lr = s.learningRate(epoch);
        // Spec §4 mask rule 2: pruned weights and their optimiser state are exactly 0.0.
        // Pruned w and velW are 0 (State checks it) and are not visited, so they stay exactly 0.0.
        kept.sgdLrInVelocity(rbm.w, gradW, st.velW, mom, lr, s.weightDecay());
        Optimizers.sgdLrInVelocity(rbm.a, biasGradient(batch, n, vModel, m, nv), st.velA, null, mom, lr, 0.0);
        Optimizers.sgdLrInVelocity(rbm.b, biasGradient(hData, n, hModel, m, nh), st.velB, null, mom, lr, 0.0);
        kernel.weightsChanged(); // the epoch's metrics may use this kernel before the next update
    }

    /**
     * p(h|v_data) into hData; the last Gibbs step's v into vModel and p(h|v_k) into hModel. The
     * draws come from {@code rng} one entry after another in index order (so they cannot be split);
     * the sigmoids are split over the threads, which gives the same bits as one pass.
     */
    private void phasesSequential(State st, double[] batch, int n, int m, SplittableRandom rng) {
        Rbm rbm = st.rbm;
        int nv = rbm.nv, nh = rbm.nh;
        // Positive phase: p(h|v_data).
        kernel.forward(rbm, rbm.b, batch, n, hData);
        elementwise.sigmoid(hData, n, nh);

        // Negative phase: k Gibbs steps from the batch (CD) or the persistent chains (PCD).
        if (s.persistent()) {
            System.arraycopy(st.chains, 0, vModel, 0, m * nv);
            kernel.forward(rbm, rbm.b, vModel, m, hModel);
            elementwise.sigmoid(hModel, m, nh);
        } else {
            System.arraycopy(batch, 0, vModel, 0, n * nv);
            System.arraycopy(hData, 0, hModel, 0, n * nh); // p(h|v_data) already computed
        }
        for (int step = 0; step < s.k(); step++) {
            StableMath.bernoulli(hModel, m * nh, rng, hModel);              // h ~ p(h|v)
            kernel.transposed(rbm, rbm.a, hModel, m, pre);
            elementwise.sigmoid(pre, m, nv);
            StableMath.bernoulli(pre, m * nv, rng, vModel);                 // v ~ p(v|h)
            kernel.forward(rbm, rbm.b, vModel, m, hModel);
            elementwise.sigmoid(hModel, m, nh);                             // p(h|v_k) for the statistics
        }
    }

    /**
     * As {@link #phasesSequential}, each draw from the counter generator at (key, epoch, batch,
     * phase, row, unit) and fused with its sigmoid: the h draw of Gibbs step t is phase 2t, its v draw
     * 2t + 1. A probability no statistic needs is never stored (only the samples of intermediate steps).
     */
    private void phasesCounter(State st, double[] batch, int n, int m, UpdateNoise noise) {
        Rbm rbm = st.rbm;
        int nv = rbm.nv, nh = rbm.nh;
        long key = noise.key();
        kernel.forward(rbm, rbm.b, batch, n, hData);
        if (s.persistent()) {
            elementwise.polynomialSigmoid(hData, n, nh);                                  // p(h|v_data)
            System.arraycopy(st.chains, 0, vModel, 0, m * nv);
            kernel.forward(rbm, rbm.b, vModel, m, hModel);
            elementwise.sample(hModel, m, nh, key, noise.stream(0), null, hModel);        // h ~ p(h|v_chain)
        } else {
            elementwise.sample(hData, n, nh, key, noise.stream(0), hData, hModel);        // p(h|v_data), h ~ it
        }
        for (int step = 0; step < s.k(); step++) {
            kernel.transposed(rbm, rbm.a, hModel, m, pre);
            elementwise.sample(pre, m, nv, key, noise.stream(2 * step + 1), null, vModel); // v ~ p(v|h)
            kernel.forward(rbm, rbm.b, vModel, m, hModel);
            if (step + 1 < s.k()) {
                elementwise.sample(hModel, m, nh, key, noise.stream(2 * step + 2), null, hModel); // next h
            } else {
                elementwise.polynomialSigmoid(hModel, m, nh);                             // p(h|v_k) for the statistics
            }
        }
    }

    /** mean_rows(neg) − mean_rows(pos), the loss gradient of a bias. Column sums in row order. */
    private static double[] biasGradient(double[] pos, int n, double[] neg, int m, int width) {
        double[] sp = columnSums(pos, n, width);
        double[] sn = columnSums(neg, m, width);
        double[] g = new double[width];
        for (int k = 0; k < width; k++) {
            g[k] = sn[k] / m - sp[k] / n;
        }
        return g;
    }

    private static double[] columnSums(double[] x, int rows, int width) {
        double[] sum = new double[width];
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            for (int k = 0; k < width; k++) {
                sum[k] += x[base + k];
            }
        }
        return sum;
    }

    private void ensureScratch(int size, int n, int m, int nv, int nh) {
        if (gradW.length != size) {
            gradW = new double[size];
        }
        if (hData.length < n * nh) {
            hData = new double[n * nh];
        }
        int rows = Math.max(n, m);
        if (vModel.length < rows * nv) {
            vModel = new double[rows * nv];
            pre = new double[rows * nv];
        }
        if (hModel.length < rows * nh) {
            hModel = new double[rows * nh];
        }
    }
}
