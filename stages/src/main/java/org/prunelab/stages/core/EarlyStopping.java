package org.prunelab.stages.core;

import java.util.Map;

/** Stops when {@code metric} has not improved by {@code minGain} for {@code patience} epochs. */
public final class EarlyStopping implements TrainingPolicy {
    private final ImprovementWatch watch;
    private final int patience;

    public EarlyStopping(String metric, boolean higherIsBetter, double minGain, int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        }
        this.watch = new ImprovementWatch(metric, higherIsBetter, minGain);
        this.patience = patience;
    }

    @Override
    public Decision afterEpoch(TrainingPosition at, Map<String, Object> metrics) {
        return watch.epochsSinceBest(at.history()) >= patience ? Decision.STOP : Decision.CONTINUE;
    }
}
