package org.prunelab.stages.rbm;

/**
 * Optimiser settings for {@link RbmTrainer} (spec §4). {@code chains} is the number of persistent
 * chains for PCD and is ignored for CD.
 */
public record TrainingSettings(String algorithm /* "cd" | "pcd" */, int k, double learningRate, double momentumInitial,
        double momentumFinal, int momentumSwitchEpoch, double weightDecay, int batchSize, int chains) {

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
        if (!Double.isFinite(learningRate) || !Double.isFinite(momentumInitial) || !Double.isFinite(momentumFinal)
                || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("learning rate, momenta and weight decay must be finite");
        }
    }

    public boolean persistent() {
        return "pcd".equals(algorithm);
    }

    /** momentumInitial before momentumSwitchEpoch, momentumFinal from it on (spec §4: 0.5 -> 0.9 from epoch 5). */
    public double momentum(int epoch) {
        return epoch < momentumSwitchEpoch ? momentumInitial : momentumFinal;
    }
}
