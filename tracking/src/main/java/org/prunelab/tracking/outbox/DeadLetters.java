package org.prunelab.tracking.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.prunelab.io.AtomicFiles;

/**
 * {@code dead-letter.jsonl}: entries the server refused for good, one JSON line each with the
 * reason, so that nothing is silently dropped. Thread-safe for reads of {@link #contains}: the
 * delivery thread records, enqueuers ask.
 */
final class DeadLetters {
    private final Path file;
    private final ObjectMapper json;
    private final Set<Long> seqs = ConcurrentHashMap.newKeySet();

    DeadLetters(Path file, ObjectMapper json) {
        this.file = file;
        this.json = json;
        all().forEach(d -> seqs.add(d.path("seq").asLong()));
    }

    boolean contains(long seq) {
        return seqs.contains(seq);
    }

    /** Appends the entry with its reason (once per seq, so a crash-and-retry does not record it twice). */
    void record(ObjectNode entry, long seq, String reason, int httpStatus) {
        if (seqs.contains(seq)) {
            return;
        }
        ObjectNode d = json.createObjectNode();
        d.put("seq", seq);
        d.put("reason", reason);
        d.put("httpStatus", httpStatus);
        d.put("at", System.currentTimeMillis());
        d.set("entry", entry);
        try {
            Files.write(file, (d.toString() + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            AtomicFiles.fsyncFile(file);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write outbox dead-letter file " + file, ex);
        }
        seqs.add(seq);
    }

    /** The lines written so far (JSON objects with seq, reason, httpStatus, at, entry). */
    List<JsonNode> all() {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                try {
                    out.add(json.readTree(line));
                } catch (IOException torn) {
                    // a torn last line from a crash: its entry is re-tried and re-recorded
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out;
    }
}
