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
