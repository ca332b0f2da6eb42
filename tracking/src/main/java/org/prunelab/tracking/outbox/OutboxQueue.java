package org.prunelab.tracking.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The entries in order: the durable {@link Journal} (with each artifact entry's {@link BlobStore}
 * copy written before its line) and, in memory, those not yet done. All methods hold {@link #lock},
 * which the outbox also takes around compound steps (check, then append; mark done, then merge).
 */
final class OutboxQueue {
    final Object lock = new Object();
    private final Journal journal;
    private final BlobStore blobs;
    private final ArrayDeque<ObjectNode> undelivered = new ArrayDeque<>();
    private boolean closed;

    private OutboxQueue(Journal journal, BlobStore blobs) {
        this.journal = journal;
        this.blobs = blobs;
    }

    /** Opens the journal; nothing is pending until {@link #resumeFrom} says where delivery stands. */
    static OutboxQueue open(Path dir, ObjectMapper json) throws IOException {
        return new OutboxQueue(Journal.open(dir.resolve("journal.jsonl"), json), new BlobStore(dir.resolve("blobs")));
    }

    /** Keeps the entries from {@code done} on as undelivered and drops the blobs of the others. */
    void resumeFrom(long done) throws IOException {
        synchronized (lock) {
            Set<Long> keep = new HashSet<>();
            for (ObjectNode e : journal.loaded()) {
                if (OutboxEntries.seq(e) >= done) {
                    undelivered.add(e);
                    keep.add(OutboxEntries.seq(e));
                }
            }
            blobs.removeAllExcept(keep);
        }
    }

    /** Every entry the journal held when opened, done or not. */
    List<ObjectNode> loaded() {
        return journal.loaded();
    }

    BlobStore blobs() {
        return blobs;
    }

    /** What an appended entry carries besides its line: nothing, or a blob copy. */
    @FunctionalInterface
    interface Attachment {
        void store(BlobStore blobs, long seq) throws IOException;
    }

    /** Numbers the entry, stores its attachment, appends it durably; once this returns it survives a crash. */
    void append(ObjectNode e, Attachment attachment) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("tracking outbox in " + journal.file().getParent() + " is closed");
            }
            long seq = journal.nextSeq();
            e.put("seq", seq);
            try {
                if (attachment != null) {
                    attachment.store(blobs, seq);
                }
                journal.append(e);
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot write to tracking outbox journal " + journal.file(), ex);
            }
            undelivered.add(e);
        }
    }

    /** The oldest entry not yet done, or null. */
    ObjectNode head() {
        synchronized (lock) {
            return undelivered.peek();
        }
    }

    /** Drops the head after it was marked done (delivered or dead-lettered) and its blob. */
    void removeHead() {
        synchronized (lock) {
            ObjectNode e = undelivered.poll();
            if (e != null) {
                blobs.remove(OutboxEntries.seq(e));
            }
        }
    }

    int pending() {
        synchronized (lock) {
            return undelivered.size();
        }
    }

    /** Refuses further appends and closes the file; every append was already forced to disk. */
    void close() {
        synchronized (lock) {
            closed = true;
            try {
                journal.close();
            } catch (IOException ignored) {
                // see the method comment
            }
        }
    }
}
