package org.prunelab.stages;

import java.io.IOException;
import java.util.Optional;
import org.prunelab.stages.io.Checkpoint;
import org.prunelab.stages.io.CheckpointStore;

/**
 * Simulates a crash in a stage test: the n-th checkpoint is written, then the "process dies" (an
 * exception unwinds the stage). Running the stage again over the same store must resume exactly.
 */
public final class KillingCheckpointStore implements CheckpointStore {
    private final CheckpointStore real;
    private final int killAfterSaves;
    private int saves;

    /** Thrown to simulate the kill; tests expect it. */
    public static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Killed(int saves) {
            super("killed after checkpoint " + saves);
        }
    }

    public KillingCheckpointStore(CheckpointStore real, int killAfterSaves) {
        this.real = real;
        this.killAfterSaves = killAfterSaves;
    }

    @Override
    public Optional<Checkpoint> latest() throws IOException {
        return real.latest();
    }

    @Override
    public void save(Checkpoint checkpoint) throws IOException {
        real.save(checkpoint);
        if (++saves == killAfterSaves) {
            throw new Killed(saves);
        }
    }

    @Override
    public boolean due(long position) {
        return real.due(position);
    }
}
