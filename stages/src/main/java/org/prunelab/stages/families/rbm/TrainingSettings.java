package org.prunelab.stages.families.rbm;

/**
 * Optimiser settings for {@link RbmTrainer} (protocol §4). {@code chains} is the number of persistent
 * chains for PCD and is ignored for CD. The learning rate stays at {@code learningRate} until epoch
 * {@code decayStartEpoch}, then decays linearly to {@code learningRateFinal} at epoch
 * {@code epochs} − 1; equal rates mean a constant rate (protocol §4 leaves the schedule open, §10
 * item 3). Starting the decay at the momentum switch keeps the fast early phase and damps the
 * late swings of PCD with high momentum (protocol §4 "Stable defaults").
 */
public record TrainingSettings(String algorithm /* "cd" | "pcd" */, int k, double learningRate, double momentumInitial,
        double momentumFinal, int momentumSwitchEpoch, double weightDecay, int batchSize, int chains,
        double learningRateFinal, int epochs, int decayStartEpoch) {

    /** Decay (if any) from the first epoch. */
    public TrainingSettings(String algorithm, int k, double learningRate, double momentumInitial, double momentumFinal,
            int momentumSwitchEpoch, double weightDecay, int batchSize, int chains, double learningRateFinal,
            int epochs) {
        this(algorithm, k, learningRate, momentumInitial, momentumFinal, momentumSwitchEpoch, weightDecay, batchSize,
                chains, learningRateFinal, epochs, 0);
    }

    /** Constant learning rate. */
    public TrainingSettings(String algorithm, int k, double learningRate, double momentumInitial, double momentumFinal,
            int momentumSwitchEpoch, double weightDecay, int batchSize, int chains) {
        this(algorithm, k, learningRate, momentumInitial, momentumFinal, momentumSwitchEpoch, weightDecay, batchSize,
                chains, learningRate, 1);
    }

    public TrainingSettings {
        if (!"cd".equals(algorithm) && !"pcd".equals(algorithm)) {
            throw new IllegalArgumentException("algorithm must be \"cd\" or \"pcd\", got " + algorithm);
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if ("pcd".equals(algorithm) && chains < 1) {
            throw new IllegalArgumentException("pcd needs chains >= 1, got " + chains);
        }
        if (!Double.isFinite(learningRateFinal) || epochs < 0 || decayStartEpoch < 0) {
            throw new IllegalArgumentException("learningRateFinal must be finite, epochs and decayStartEpoch >= 0");
        }
        if (!Double.isFinite(learningRate) || !Double.isFinite(momentumInitial) || !Double.isFinite(momentumFinal)
                || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("learning rate, momenta and weight decay must be finite");
        }
    }

    public boolean persistent() {
        return "pcd".equals(algorithm);
    }

    /** momentumInitial before momentumSwitchEpoch, momentumFinal from it on (protocol §4: 0.5 -> 0.9 from epoch 5). */
    public double momentum(int epoch) {
        return epoch < momentumSwitchEpoch ? momentumInitial : momentumFinal;
    }

    /**
     * The step size used in every update of epoch {@code epoch}. A constant schedule returns
     * {@code learningRate} itself (no arithmetic), so configs without a final rate train
     * bit-identically to the code before schedules existed.
     */
    public double learningRate(int epoch) {
        if (learningRateFinal == learningRate || epochs <= 1) {
            return learningRate;
        }
        if (decayStartEpoch > 0) {
            // Constant up to the start epoch; a start at or past the last epoch leaves no room to decay.
            if (epoch <= decayStartEpoch || decayStartEpoch >= epochs - 1) {
                return learningRate;
            }
            double progress = Math.min(1.0, (double) (epoch - decayStartEpoch) / (epochs - 1 - decayStartEpoch));
            return learningRate + (learningRateFinal - learningRate) * progress;
        }
        double progress = Math.min(1.0, Math.max(0.0, (double) epoch / (epochs - 1)));
        return learningRate + (learningRateFinal - learningRate) * progress;
    }
}
