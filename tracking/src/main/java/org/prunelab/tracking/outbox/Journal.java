package org.prunelab.tracking.outbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Append-only JSON-lines file; line number = entry sequence number. Each append is forced to disk
 * before it returns (see {@link TrackingOutbox} for why per append). A SIGKILL can leave only the last
 * line torn (no newline); {@link #open} drops it and truncates the file back to the last complete
 * line, so the next append does not glue onto the fragment. Damage anywhere else is repaired by
 * {@link JournalQuarantine} before the journal is opened.
 */
final class Journal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private final Path file;
    private final FileChannel channel;
    private final List<ObjectNode> loaded;
    private long size;

    private Journal(Path file, FileChannel channel, List<ObjectNode> loaded) {
        this.file = file;
        this.channel = channel;
        this.loaded = loaded;
        this.size = loaded.size();
    }

    /** Opens the journal whose current content {@code scan} read; it must hold no damage but a torn tail. */
    static Journal open(Path file, JournalScan scan) throws IOException {
        if (scan.damaged()) {
            throw new IllegalStateException("journal " + file + " must be repaired before it is opened");
        }
        List<ObjectNode> entries = new ArrayList<>();
        long goodBytes = 0;
        for (JournalScan.Intact line : scan.intact()) {
            entries.add(line.entry());
            goodBytes += line.line().length + 1;
        }
        if (scan.tornTailBytes() > 0) {
            LOG.warn("outbox journal {}: dropping torn last line {} ({} bytes without newline: a write cut short)", file,
                    scan.lines() + 1, scan.tornTailBytes());
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        if (ch.size() != goodBytes) {
            ch.truncate(goodBytes);
            ch.force(true);
        }
        ch.position(goodBytes);
        return new Journal(file, ch, entries);
    }

    /** Entries present when the file was opened, in order. */
    List<ObjectNode> loaded() {
        return loaded;
    }

    long nextSeq() {
        return size;
    }

    /** Appends one entry (its "seq" must equal {@link #nextSeq()}) and forces it to disk. */
    void append(ObjectNode entry) throws IOException {
        if (entry.get("seq").asLong() != size) {
            throw new IllegalStateException("journal sequence mismatch");
        }
        byte[] line = (entry.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        channel.force(false);
        size++;
    }

    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
