package org.prunelab.stages.core;

import java.util.Map;

/** A callback of the {@link EpochLoop}: logs, checkpoints, or decides to stop. */
public interface TrainingPolicy {
    enum Decision { CONTINUE, STOP }

    /** After an update that did not end its epoch; {@code at} is the position to resume from. */
    default void afterUpdate(TrainingPosition at) throws Exception {
    }

    /**
     * True for a policy that saves checkpoints. The {@link EpochLoop} calls such policies after all
     * others at every position, whatever their order in its list: a checkpoint must cover what the
     * other policies did there (metrics logged, plateau state changed), because a process resumed
     * from it never repeats that position.
     */
    default boolean savesCheckpoints() {
        return false;
    }

    /** After an epoch and its evaluation; {@code at} is the start of the next epoch. */
    default Decision afterEpoch(TrainingPosition at, Map<String, Object> metrics) throws Exception {
        return Decision.CONTINUE;
    }
}
