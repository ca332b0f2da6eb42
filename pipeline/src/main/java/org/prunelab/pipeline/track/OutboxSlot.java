package org.prunelab.pipeline.track;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.prunelab.pipeline.store.StepLock;

/**
 * One process's tracking outbox directory, {@code outbox/<n>/}, claimed with an OS lock. The outbox
 * is exactly-once for a single writer, so concurrent processes (sweep workers) each take a free
 * slot; a slot left by a crashed or offline process, pending entries and all, is taken over and
 * delivered by the next command that claims it.
 */
public final class OutboxSlot implements AutoCloseable {
    private final Path dir;
    private final StepLock lock;

    private OutboxSlot(Path dir, StepLock lock) {
        this.dir = dir;
        this.lock = lock;
    }

    public static OutboxSlot claim(Path root) throws IOException {
        for (int n = 0; n < 1000; n++) {
            Path dir = root.resolve(Integer.toString(n));
            try {
                return new OutboxSlot(dir, StepLock.acquire(dir.resolve("lock"), "outbox slot " + dir));
            } catch (StepLock.StepBusyException busy) {
                // another live process holds this slot: try the next
            }
        }
        throw new IOException("no free tracking outbox slot under " + root);
    }

    /**
     * A named slot, {@code outbox/<name>/}, waiting up to {@code wait} for it. A cluster job names
     * its slot after the step it runs, so every attempt at that step (the first job, the requeued
     * one, a resubmitted one, on any node) journals into the same outbox, whose exactly-once rule
     * then drops metric steps an earlier attempt already logged.
     */
    public static OutboxSlot claimNamed(Path root, String name, java.time.Duration wait) throws IOException {
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("outbox slot name '" + name + "' must be letters, digits, '_', '.', '-'");
        }
        Path dir = root.resolve(name);
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                return new OutboxSlot(dir, StepLock.acquire(dir.resolve("lock"), "outbox slot " + dir));
            } catch (StepLock.StepBusyException busy) {
                // 'sync' or the job's previous attempt, still delivering: it lets go within seconds
                if (System.nanoTime() > deadline) {
                    throw busy;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw busy;
                }
            }
        }
    }

    /** Every slot not held by a live process, claimed (for {@code sync}). */
    public static List<OutboxSlot> claimAllFree(Path root) throws IOException {
        List<OutboxSlot> slots = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return slots;
        }
        try (var dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                try {
                    slots.add(new OutboxSlot(dir, StepLock.acquire(dir.resolve("lock"), "outbox slot " + dir)));
                } catch (StepLock.StepBusyException busy) {
                    // in use: its owner delivers it
                }
            }
        }
        return slots;
    }

    public Path dir() {
        return dir.resolve("journal");
    }

    @Override
    public void close() throws IOException {
        lock.close();
    }
}
