package org.prunelab.pipeline.engine;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.prunelab.stages.io.Checkpoint;
import org.prunelab.stages.io.CheckpointStore;

/**
 * A checkpoint store that can be asked, from another thread, to make the stage save at its next
 * opportunity: the stage polls {@link #due} between updates, so answering "yes" once makes it save
 * a consistent state without any change to the stage. Used when the process is told to stop
 * (SIGTERM, or Slurm's warning before a time limit), so a requeued job loses almost no work.
 */
final class SignalCheckpoints implements CheckpointStore {
    private final CheckpointStore store;
    private volatile boolean requested;
    private volatile CountDownLatch saved = new CountDownLatch(1);

    SignalCheckpoints(CheckpointStore store) {
        this.store = store;
    }

    @Override
    public Optional<Checkpoint> latest() throws IOException {
        return store.latest();
    }

    @Override
    public void save(Checkpoint checkpoint) throws IOException {
        store.save(checkpoint);
        requested = false;
        saved.countDown();
    }

    @Override
    public boolean due(long position) {
        return requested || store.due(position);
    }

    /**
     * Asks for a checkpoint and waits for it. Returns false if none was saved within the limit
     * (the stage is between checkpointable points, e.g. evaluating): the last periodic one stands.
     */
    boolean requestAndAwait(Duration limit) {
        CountDownLatch latch = new CountDownLatch(1);
        saved = latch;
        requested = true;
        try {
            return latch.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
