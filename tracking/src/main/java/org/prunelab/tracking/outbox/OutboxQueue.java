package org.prunelab.tracking.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
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
    private final JournalDamage damage;
    private final ArrayDeque<ObjectNode> undelivered = new ArrayDeque<>();
    private boolean hasLostEntries;
    private boolean closed;

    private OutboxQueue(Journal journal, BlobStore blobs, JournalDamage damage) {
        this.journal = journal;
        this.blobs = blobs;
        this.damage = damage;
        this.hasLostEntries = journal.loaded().stream().anyMatch(e -> OutboxEntries.LOST.equals(OutboxEntries.op(e)));
    }

    /**
     * Opens the journal, repairing it first if it is damaged anywhere but in its torn last write
     * ({@link JournalQuarantine}); nothing is pending until {@link #resumeFrom} says where delivery stands.
     */
    static OutboxQueue open(Path dir, ObjectMapper json) throws IOException {
        Path file = dir.resolve("journal.jsonl");
        BlobStore blobs = new BlobStore(dir.resolve("blobs"));
        JournalScan scan = JournalScan.of(Files.exists(file) ? Files.readAllBytes(file) : new byte[0], json);
        JournalDamage damage = null;
        if (scan.damaged()) {
            damage = JournalQuarantine.repair(file, scan, blobs);
            scan = JournalScan.of(Files.readAllBytes(file), json);
        }
        return new OutboxQueue(Journal.open(file, scan), blobs, damage);
    }

    /** What was repaired when the journal was opened, if it was damaged. */
    Optional<JournalDamage> damage() {
        return Optional.ofNullable(damage);
    }

    /**
     * Whether the journal holds placeholders of lost entries (repaired now or by an earlier process):
     * what they held is unknown, so the server's history is the only record of what was sent.
     */
    boolean hasLostEntries() {
        synchronized (lock) {
            return hasLostEntries;
        }
    }

    /**
     * Appends placeholders up to (not including) {@code count} when the journal holds fewer entries
     * than {@code state.json} counts as done: its last lines were lost after delivery. Without them
     * the next entries would reuse those numbers and count as done without being sent.
     *
     * @return the sequence numbers padded (empty when none were missing)
     */
    List<Long> padWithLost(long count, String reason) {
        synchronized (lock) {
            List<Long> padded = new ArrayList<>();
            for (long seq = journal.nextSeq(); seq < count; seq++) {
                try {
                    journal.append(OutboxEntries.lost(seq, reason));
                } catch (IOException ex) {
                    throw new UncheckedIOException("cannot write to tracking outbox journal " + journal.file(), ex);
                }
                padded.add(seq);
                hasLostEntries = true;
            }
            return padded;
        }
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
