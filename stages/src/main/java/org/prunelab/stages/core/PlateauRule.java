package org.prunelab.stages.core;

import java.util.Map;

/**
 * When {@code metric} has not improved by {@code minGain} for {@code patience} epochs, tells the
 * family to decay (e.g. lower the learning rate and rebuild the optimiser), at most once per
 * plateau: the count restarts at the decay.
 */
public final class PlateauRule implements TrainingPolicy {
    /** What the family does at a plateau; {@code epoch} is the epoch that ended it (1-based). */
    public interface OnPlateau {
        void decay(int epoch) throws Exception;
    }

    private final ImprovementWatch watch;
    private final int patience;
    private final OnPlateau onPlateau;
    private int lastDecayAt;

    public PlateauRule(String metric, boolean higherIsBetter, double minGain, int patience, OnPlateau onPlateau) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        }
        this.watch = new ImprovementWatch(metric, higherIsBetter, minGain);
        this.patience = patience;
        this.onPlateau = onPlateau;
    }

    @Override
    public Decision afterEpoch(TrainingPosition at, Map<String, Object> metrics) throws Exception {
        int since = watch.epochsSinceBest(at.history());
        if (since >= patience && at.epoch() - lastDecayAt >= patience) {
            lastDecayAt = at.epoch();
            onPlateau.decay(at.epoch());
        }
        return Decision.CONTINUE;
    }
}
