package org.prunelab.pipeline.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import org.prunelab.pipeline.store.GarbageCollector;
import org.prunelab.pipeline.store.StepStore;
import org.prunelab.pipeline.store.StepVerifier;
import org.prunelab.pipeline.store.WorkDirs;
import org.prunelab.pipeline.track.OutboxSlot;
import org.prunelab.tracking.outbox.TrackingOutbox;

/** The commands that look after a runs directory: verify, gc, the work-dir lines of status, sync's delivery. */
final class StoreCommands {
    private final PrintStream out;

    StoreCommands(PrintStream out) {
        this.out = out;
    }

    /** True when nothing is damaged. */
    boolean verify(StepStore store, boolean quarantine) throws IOException {
        return new StepVerifier(store, out).verify(quarantine).problems() == 0;
    }

    void gc(StepStore store, boolean dryRun) throws IOException {
        new GarbageCollector(store, out).collect(dryRun);
    }

    /** Failed and stale work directories under the runs directory, and how to remove them. */
    void printWorkDirs(StepStore store) throws IOException {
        long garbage = 0;
        long bytes = 0;
        for (WorkDirs.WorkDir dir : new WorkDirs(store).scan()) {
            if (dir.state() == WorkDirs.State.FAILED) {
                out.println("  failed step work dir " + dir.path() + (dir.detail().isEmpty() ? "" : ": " + dir.detail()));
            }
            if (dir.state().garbage) {
                garbage++;
                bytes += dir.bytes();
            }
        }
        if (garbage > 0) {
            out.printf(Locale.ROOT, "%d work dir(s) of failed or finished steps (%.1f MiB): 'prunelab gc' removes them%n",
                    garbage, bytes / (1024.0 * 1024));
        }
    }

    /**
     * Delivers every outbox slot no live process holds (left by a crash, an outage, or a cluster job
     * that ended before its tracking was sent). Returns {delivered, still pending}.
     */
    static int[] deliverLeftovers(StepStore store, String uri, boolean uriFromOption, java.time.Duration limitPerSlot)
            throws Exception {
        int pending = 0;
        int delivered = 0;
        try (var client = Tracking.connect(uri, uriFromOption)) {
            for (OutboxSlot slot : OutboxSlot.claimAllFree(store.root().resolve("outbox"))) {
                try (slot) {
                    TrackingOutbox outbox = TrackingOutbox.open(client, slot.dir());
                    var result = outbox.close(limitPerSlot);
                    delivered += result.delivered();
                    pending += result.pending();
                }
            }
        }
        return new int[] {delivered, pending};
    }
}
