package org.prunelab.stages.core;

import java.util.Map;

/** A callback of the {@link EpochLoop}: logs, checkpoints, or decides to stop. */
public interface TrainingPolicy {
    enum Decision { CONTINUE, STOP }

    /** After an update that did not end its epoch; {@code at} is the position to resume from. */
    default void afterUpdate(TrainingPosition at) throws Exception {
    }

    /** After an epoch and its evaluation; {@code at} is the start of the next epoch. */
    default Decision afterEpoch(TrainingPosition at, Map<String, Object> metrics) throws Exception {
        return Decision.CONTINUE;
    }
}
