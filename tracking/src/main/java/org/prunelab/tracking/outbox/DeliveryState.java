package org.prunelab.tracking.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The outbox's progress: entries with seq below {@code done} are delivered or dead-lettered; the
 * entry {@code uncertain} (or -1) was sent at least once without a confirmed outcome. Replaced
 * atomically, so a crash leaves either the old or the new state, never a mix.
 */
final class DeliveryState {
    private final Path file;
    private final ObjectMapper json;
    private volatile long done;
    private volatile long uncertain;

    private DeliveryState(Path file, ObjectMapper json, long done, long uncertain) {
        this.file = file;
        this.json = json;
        this.done = done;
        this.uncertain = uncertain;
    }

    static DeliveryState load(Path file, ObjectMapper json) throws IOException {
        if (!Files.exists(file)) {
            return new DeliveryState(file, json, 0, -1);
        }
        JsonNode n = json.readTree(Files.readAllBytes(file));
        return new DeliveryState(file, json, n.path("done").asLong(0), n.path("uncertain").asLong(-1));
    }

    long done() {
        return done;
    }

    long uncertain() {
        return uncertain;
    }

    void write(long newDone, long newUncertain) throws IOException {
        String s = json.createObjectNode().put("done", newDone).put("uncertain", newUncertain).toString();
        AtomicFiles.write(file, s.getBytes(StandardCharsets.UTF_8));
        done = newDone;
        uncertain = newUncertain;
    }
}
