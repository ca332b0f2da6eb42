package org.prunelab.stages.core;

import java.util.Map;
import org.prunelab.stages.io.Checkpoint;
import org.prunelab.stages.io.CheckpointStore;

/**
 * Saves a checkpoint when the store says one is due (between updates) and at every epoch end.
 * {@code positionOffset} keeps positions increasing when one step runs several loops.
 */
public final class CheckpointPolicy implements TrainingPolicy {
    /** Builds the checkpoint of the training at a position (usually {@link TrainingState#snapshot}). */
    public interface Snapshot {
        Checkpoint take(long position, TrainingPosition at);
    }

    private final CheckpointStore store;
    private final long positionOffset;
    private final Snapshot snapshot;

    public CheckpointPolicy(CheckpointStore store, long positionOffset, Snapshot snapshot) {
        this.store = store;
        this.positionOffset = positionOffset;
        this.snapshot = snapshot;
    }

    @Override
    public boolean savesCheckpoints() {
        return true;
    }

    @Override
    public void afterUpdate(TrainingPosition at) throws Exception {
        if (store.due(positionOffset + at.updates())) {
            store.save(snapshot.take(positionOffset + at.updates(), at));
        }
    }

    @Override
    public Decision afterEpoch(TrainingPosition at, Map<String, Object> metrics) throws Exception {
        store.save(snapshot.take(positionOffset + at.updates(), at));
        return Decision.CONTINUE;
    }
}
