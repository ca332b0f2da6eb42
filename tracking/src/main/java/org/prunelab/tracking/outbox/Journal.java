package org.prunelab.tracking.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Append-only JSON-lines file; line number = entry sequence number. Each append is forced to disk
 * before it returns (see {@link TrackingOutbox} for why per append). A SIGKILL can leave only the last
 * line torn (no newline, or not valid JSON); {@link #open} drops it and truncates the file back to the
 * last complete line, so the next append does not glue onto the fragment.
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

    static Journal open(Path file, ObjectMapper json) throws IOException {
        List<ObjectNode> entries = new ArrayList<>();
        long goodBytes = 0;
        if (Files.exists(file)) {
            byte[] all = Files.readAllBytes(file);
            int start = 0;
            int lineNo = 0;
            while (start < all.length) {
                int nl = indexOf(all, (byte) '\n', start);
                lineNo++;
                if (nl < 0) {
                    LOG.warn("outbox journal {}: dropping torn last line {} ({} bytes without newline)", file, lineNo, all.length - start);
                    break;
                }
                String line = new String(all, start, nl - start, StandardCharsets.UTF_8);
                JsonNode node;
                try {
                    node = json.readTree(line);
                } catch (IOException e) {
                    node = null;
                }
                if (!(node instanceof ObjectNode obj) || !obj.has("seq") || obj.get("seq").asLong() != entries.size()) {
                    if (nl == all.length - 1) {
                        LOG.warn("outbox journal {}: dropping unreadable last line {}", file, lineNo);
                        break;
                    }
                    throw new IOException("outbox journal " + file + " is corrupt at line " + lineNo
                            + " (not the last line, so not a torn write); move it aside to continue");
                }
                entries.add(obj);
                start = nl + 1;
                goodBytes = start;
            }
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

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
