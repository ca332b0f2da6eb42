package org.prunelab.pipeline.engine;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.prunelab.stages.io.Checkpoint;
import org.prunelab.stages.io.CheckpointStore;

/**
 * The checkpoint store a running step sees, around the real one, with two duties of the engine:
 *
 * <ul>
 *   <li><b>Metrics before checkpoints.</b> Before a checkpoint is written, the metrics the stage
 *       logged so far are handed to tracking (journaled, fsync'd). A process killed after the
 *       checkpoint resumes after those metrics and never logs them again, so they must not still
 *       sit in a buffer: otherwise an epoch's metrics would be lost for good.</li>
 *   <li><b>A checkpoint on request.</b> Another thread (the shutdown hook on SIGTERM, or on Slurm's
 *       warning before a time limit) can ask for a save at the stage's next opportunity: the stage
 *       polls {@link #due} between updates, so answering "yes" once makes it save a consistent
 *       state without any change to the stage, and a requeued job loses almost no work.</li>
 * </ul>
 */
final class StepCheckpoints implements CheckpointStore {
    private final CheckpointStore store;
    private final Runnable beforeSave;
    private volatile boolean requested;
    private volatile boolean exiting;
    private volatile CountDownLatch saved = new CountDownLatch(1);

    StepCheckpoints(CheckpointStore store, Runnable beforeSave) {
        this.store = store;
        this.beforeSave = beforeSave;
    }

    @Override
    public Optional<Checkpoint> latest() throws IOException {
        return store.latest();
    }

    @Override
    public void save(Checkpoint checkpoint) throws IOException {
        beforeSave.run();
        store.save(checkpoint);
        requested = false;
        saved.countDown();
        if (exiting) {
            // The process is exiting on a signal: nothing after this checkpoint may run. Left to go
            // on, a fast stage finished while the shutdown hook flushed tracking and committed a step
            // whose run had just been closed as KILLED (and a requeued job then found it done).
            parkUntilExit();
        }
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

    /** Called by the shutdown hook before its request: the save that answers it is the stage's last act. */
    void exitAfterNextSave() {
        exiting = true;
    }

    /**
     * Blocks the calling thread until the JVM halts. Only called once a shutdown hook runs: the JVM
     * halts when its hooks finish, whatever other threads are doing, so this never blocks an exit.
     */
    static void parkUntilExit() {
        CountDownLatch never = new CountDownLatch(1);
        while (true) {
            try {
                never.await();
            } catch (InterruptedException e) {
                // keep waiting: the only way out is the halt
            }
        }
    }
}
