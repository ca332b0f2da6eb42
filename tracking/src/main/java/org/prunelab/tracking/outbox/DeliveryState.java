package org.prunelab.tracking.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.prunelab.io.AtomicFiles;

/**
 * The outbox's progress: entries with seq below {@code done} are delivered or dead-lettered; the
 * entry {@code uncertain} (or -1) was sent at least once without a confirmed outcome; {@code runs}
 * maps the local key of each run created (or found) on the server to its run id. Replaced
 * atomically, so a crash leaves either the old or the new state, never a mix: a create-run entry
 * is marked done in the same write that records its run id.
 */
final class DeliveryState {
    private final Path file;
    private final ObjectMapper json;
    private volatile long done;
    private volatile long uncertain;
    private volatile Map<String, String> runs;

    private DeliveryState(Path file, ObjectMapper json, long done, long uncertain, Map<String, String> runs) {
        this.file = file;
        this.json = json;
        this.done = done;
        this.uncertain = uncertain;
        this.runs = runs;
    }

    static DeliveryState load(Path file, ObjectMapper json) throws IOException {
        if (!Files.exists(file)) {
            return new DeliveryState(file, json, 0, -1, Map.of());
        }
        JsonNode n = json.readTree(Files.readAllBytes(file));
        Map<String, String> runs = new LinkedHashMap<>();
        n.path("runs").fields().forEachRemaining(f -> runs.put(f.getKey(), f.getValue().asText()));
        return new DeliveryState(file, json, n.path("done").asLong(0), n.path("uncertain").asLong(-1),
                Collections.unmodifiableMap(runs));
    }

    long done() {
        return done;
    }

    long uncertain() {
        return uncertain;
    }

    /** Local run key to server run id, for every run resolved so far (an immutable snapshot). */
    Map<String, String> runs() {
        return runs;
    }

    void write(long newDone, long newUncertain) throws IOException {
        write(newDone, newUncertain, null, null);
    }

    /** As {@link #write(long, long)}, also recording {@code localKey -> runId} when localKey is not null. */
    void write(long newDone, long newUncertain, String localKey, String runId) throws IOException {
        Map<String, String> newRuns = runs;
        if (localKey != null) {
            Map<String, String> m = new LinkedHashMap<>(runs);
            m.put(localKey, runId);
            newRuns = Collections.unmodifiableMap(m);
        }
        ObjectNode o = json.createObjectNode().put("done", newDone).put("uncertain", newUncertain);
        ObjectNode r = o.putObject("runs");
        newRuns.forEach(r::put);
        AtomicFiles.writeBytes(file, AtomicFiles.NewFileMode.PROCESS_DEFAULT, o.toString().getBytes(StandardCharsets.UTF_8));
        done = newDone;
        uncertain = newUncertain;
        runs = newRuns;
    }
}
