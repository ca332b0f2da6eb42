package org.prunelab.tracking.outbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.prunelab.io.AtomicFiles;

/**
 * Repairs a journal damaged anywhere but in its torn last write (see {@link JournalScan}), so that a
 * damaged line costs what it held and nothing more, instead of jamming the outbox for good:
 * <ol>
 * <li>the file is copied, as it is, to {@code journal.jsonl.damaged-<UTC time>} (kept for a human);</li>
 * <li>the private artifact copy of each lost entry still in {@code blobs/} is moved next to it, to
 *     {@code journal.jsonl.damaged-<UTC time>.blobs/<seq>/}: delivering a placeholder would delete it;</li>
 * <li>the journal is rewritten atomically: every intact line byte for byte, and a placeholder entry
 *     ({@link OutboxEntries#LOST}) for each lost sequence number, so that every later entry keeps its
 *     number and {@code state.json}'s count of done entries keeps its meaning.</li>
 * </ol>
 * A crash before the rewrite leaves the damaged journal in place (the next open repairs it again);
 * after it, the placeholders say what happened. What the placeholders mean for delivery is
 * {@link TrackingOutbox}'s business (class comment, "A damaged journal").
 */
final class JournalQuarantine {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private JournalQuarantine() {
    }

    static JournalDamage repair(Path journal, JournalScan scan, BlobStore blobs) throws IOException {
        Path copy = freeName(journal.resolveSibling(journal.getFileName() + ".damaged-" + STAMP.format(Instant.now())));
        Files.copy(journal, copy);
        AtomicFiles.fsyncFile(copy);
        AtomicFiles.fsyncDirectory(journal.toAbsolutePath().getParent());

        List<Long> movedBlobs = new ArrayList<>();
        for (long seq : scan.lostSeqs()) {
            if (blobs.has(seq)) {
                blobs.moveOut(seq, copy.resolveSibling(copy.getFileName() + ".blobs").resolve(Long.toString(seq)));
                movedBlobs.add(seq);
            }
        }

        ByteArrayOutputStream repaired = new ByteArrayOutputStream();
        Iterator<Long> lost = scan.lostSeqs().iterator();
        long nextLost = lost.hasNext() ? lost.next() : Long.MAX_VALUE;
        for (JournalScan.Intact line : scan.intact()) {
            long seq = OutboxEntries.seq(line.entry());
            while (nextLost < seq) {
                writeLine(repaired, OutboxEntries.lost(nextLost, "with a damaged line of the journal kept as "
                        + copy.getFileName()).toString()
                        .getBytes(StandardCharsets.UTF_8));
                nextLost = lost.hasNext() ? lost.next() : Long.MAX_VALUE;
            }
            writeLine(repaired, line.line());
        }
        AtomicFiles.writeBytes(journal, AtomicFiles.NewFileMode.PROCESS_DEFAULT, repaired.toByteArray());
        return new JournalDamage(journal, copy, scan.damagedLines(), scan.damagedInTheMiddle(), scan.lostSeqs(), movedBlobs,
                scan.intact().size());
    }

    private static void writeLine(ByteArrayOutputStream out, byte[] line) {
        out.writeBytes(line);
        out.write('\n');
    }

    /** {@code wanted}, or with "-2", "-3", ... appended if a file of that name exists (two repairs in one second). */
    private static Path freeName(Path wanted) {
        Path p = wanted;
        for (int i = 2; Files.exists(p); i++) {
            p = wanted.resolveSibling(wanted.getFileName() + "-" + i);
        }
        return p;
    }
}
