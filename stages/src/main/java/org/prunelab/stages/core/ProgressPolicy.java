package org.prunelab.stages.core;

import java.util.Map;
import org.prunelab.stages.Progress;

/**
 * Reports an {@link EpochLoop}'s updates to a {@link Progress.Task}, so that any family's training
 * shows its progress with rate and time left by adding this one policy: no per-family counting.
 * The task is the caller's (it knows the total and closes it); a resumed loop starts at the
 * position's update count, which the caller passes as the task's {@code done}.
 */
public final class ProgressPolicy implements TrainingPolicy {
    private final Progress.Task task;
    private long reported;

    /** @param alreadyDone updates done before this loop started (the resume position's {@code updates()}) */
    public ProgressPolicy(Progress.Task task, long alreadyDone) {
        this.task = task;
        this.reported = alreadyDone;
    }

    @Override
    public void afterUpdate(TrainingPosition at) {
        advanceTo(at.updates());
    }

    @Override
    public Decision afterEpoch(TrainingPosition at, Map<String, Object> metrics) {
        advanceTo(at.updates()); // the epoch's last update has no afterUpdate call
        task.message("epoch " + at.epoch());
        return Decision.CONTINUE;
    }

    private void advanceTo(long updates) {
        if (updates > reported) {
            task.step(updates - reported);
            reported = updates;
        }
    }
}
