package org.prunelab.stages.core;

import java.util.Map;
import org.prunelab.stages.io.CheckpointStore;

/**
 * Saves the {@link TrainingState} when the store says a checkpoint is due and at every epoch end.
 * {@code positionOffset} keeps positions increasing when one step runs several loops.
 */
public final class CheckpointPolicy implements TrainingPolicy {
    private final CheckpointStore store;
    private final TrainingState state;
    private final long positionOffset;
    private final Map<String, Object> extra;

    public CheckpointPolicy(CheckpointStore store, TrainingState state, long positionOffset, Map<String, Object> extra) {
        this.store = store;
        this.state = state;
        this.positionOffset = positionOffset;
        this.extra = Map.copyOf(extra);
    }

    @Override
    public void afterUpdate(TrainingPosition at) throws Exception {
        if (store.due(positionOffset + at.updates())) {
            store.save(state.checkpoint(positionOffset + at.updates(), at, extra));
        }
    }

    @Override
    public Decision afterEpoch(TrainingPosition at, Map<String, Object> metrics) throws Exception {
        store.save(state.checkpoint(positionOffset + at.updates(), at, extra));
        return Decision.CONTINUE;
    }
}
