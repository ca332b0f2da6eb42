package org.prunelab.stages.io;

import java.io.IOException;
import java.util.Optional;

/** Where a stage keeps its checkpoints. */
public interface CheckpointStore {

    /**
     * The newest checkpoint whose checksums verify. A corrupt or truncated one is reported and
     * skipped in favour of the previous good one; garbage is never returned.
     */
    Optional<Checkpoint> latest() throws IOException;

    /** Writes atomically (a crash leaves the previous checkpoints intact), then applies the keep policy. */
    void save(Checkpoint checkpoint) throws IOException;

    /** Whether a checkpoint is due, by the store's policy (every N units of progress, or every M minutes). */
    boolean due(long position);
}
