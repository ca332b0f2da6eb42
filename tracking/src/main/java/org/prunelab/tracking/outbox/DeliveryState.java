package org.prunelab.tracking.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.prunelab.io.AtomicFiles;
import org.prunelab.io.Digests;

/**
 * The outbox's progress: entries with seq below {@code done} are delivered or dead-lettered; the
 * entry {@code uncertain} (or -1) was sent at least once without a confirmed outcome; metric entries
 * with seq below {@code verifyBelow} must be checked against the server's history before sending
 * (set after a damaged state was rebuilt); {@code runs} maps the local key of each run created (or
 * found) on the server to its run id, and {@code adopted} lists the run ids that were found rather
 * than created by this outbox (another runs directory, another outbox slot or a rebuilt state may
 * have logged points to them, so their metrics are checked against the server's history too).
 *
 * <p>Replaced atomically, so a crash leaves either the old or the new state, never a mix: a
 * create-run entry is marked done in the same write that records its run id. The file carries a
 * SHA-256 of its content (format 2); one that does not parse or verify (a bad disk, a hand edit) is
 * moved aside as {@code state.json.damaged-<UTC time>} with a warning naming both files, and delivery
 * starts again from the first entry with every run looked up by its tag and every metric entry
 * checked against the server, so nothing is doubled and nothing jams. Files of format 1 (no
 * checksum, written before format 2) are read as they are.
 */
final class DeliveryState {
    static final int FORMAT = 2;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path file;
    private final ObjectMapper json;
    private volatile long done;
    private volatile long uncertain;
    private volatile long verifyBelow;
    private volatile Map<String, String> runs;
    private volatile Set<String> adopted;

    private DeliveryState(Path file, ObjectMapper json, long done, long uncertain, long verifyBelow, Map<String, String> runs,
                          Set<String> adopted) {
        this.file = file;
        this.json = json;
        this.done = done;
        this.uncertain = uncertain;
        this.verifyBelow = verifyBelow;
        this.runs = runs;
        this.adopted = adopted;
    }

    /**
     * Reads the state; a damaged file is quarantined (see the class comment) and reported through
     * {@code warn}. {@code journalEntries}: how many entries the journal holds, all of which are
     * re-checked against the server after a rebuild.
     */
    static DeliveryState load(Path file, ObjectMapper json, long journalEntries, Consumer<String> warn) throws IOException {
        if (!Files.exists(file)) {
            return fresh(file, json, 0);
        }
        try {
            return parse(file, json, Files.readAllBytes(file));
        } catch (DamagedStateException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + STAMP.format(Instant.now()));
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            AtomicFiles.fsyncDirectory(file.toAbsolutePath().getParent());
            warn.accept("tracking outbox state " + file + " is damaged (" + e.getMessage() + "); moved it to " + aside
                    + ". Delivery restarts from the first of the journal's " + journalEntries + " entries, finding runs by"
                    + " their tags and sending only metric points the server does not have, so nothing is lost or"
                    + " doubled. Nothing to do; delete " + aside.getFileName() + " when you no longer need it.");
            DeliveryState rebuilt = fresh(file, json, journalEntries);
            rebuilt.writeFile(0, -1, journalEntries, Map.of(), Set.of());
            return rebuilt;
        }
    }

    private static DeliveryState fresh(Path file, ObjectMapper json, long verifyBelow) {
        return new DeliveryState(file, json, 0, -1, verifyBelow, Map.of(), Set.of());
    }

    private static DeliveryState parse(Path file, ObjectMapper json, byte[] bytes) throws DamagedStateException {
        JsonNode n;
        try {
            n = json.readTree(bytes);
        } catch (IOException e) {
            throw new DamagedStateException("not valid JSON");
        }
        if (!(n instanceof ObjectNode o) || !n.path("done").canConvertToLong() || !n.path("done").isIntegralNumber()) {
            throw new DamagedStateException("no entry count 'done'");
        }
        int format = n.path("format").asInt(1);
        if (format > FORMAT) {
            throw new DamagedStateException("format " + format + " is newer than this prunelab reads (" + FORMAT + ")");
        }
        if (format == FORMAT) {
            ObjectNode content = o.deepCopy();
            content.remove("sha256");
            if (!Digests.sha256(canonical(content)).equals(n.path("sha256").asText())) {
                throw new DamagedStateException("its SHA-256 does not match its content");
            }
        }
        long done = n.path("done").asLong();
        long uncertain = n.path("uncertain").asLong(-1);
        long verifyBelow = n.path("verifyBelow").asLong(0);
        if (done < 0 || uncertain < -1 || verifyBelow < 0) {
            throw new DamagedStateException("negative counters");
        }
        Map<String, String> runs = new LinkedHashMap<>();
        n.path("runs").fields().forEachRemaining(f -> runs.put(f.getKey(), f.getValue().asText()));
        Set<String> adopted = new LinkedHashSet<>();
        n.path("adopted").forEach(a -> adopted.add(a.asText()));
        return new DeliveryState(file, json, done, uncertain, verifyBelow, Collections.unmodifiableMap(runs),
                Collections.unmodifiableSet(adopted));
    }

    /** Jackson writes an ObjectNode's fields in insertion order; the writer and reader build them alike. */
    private static byte[] canonical(ObjectNode content) {
        return content.toString().getBytes(StandardCharsets.UTF_8);
    }

    long done() {
        return done;
    }

    long uncertain() {
        return uncertain;
    }

    /** Whether the metric entry {@code seq} on {@code runId} must be checked against the server's history first. */
    boolean mustVerify(long seq, String runId) {
        return seq == uncertain || seq < verifyBelow || adopted.contains(runId);
    }

    /** Whether entry {@code seq} was journaled before a damaged state was rebuilt (so may have been delivered). */
    boolean replayedAfterRebuild(long seq) {
        return seq < verifyBelow;
    }

    /** Local run key to server run id, for every run resolved so far (an immutable snapshot). */
    Map<String, String> runs() {
        return runs;
    }

    void write(long newDone, long newUncertain) throws IOException {
        write(newDone, newUncertain, null, null, false);
    }

    /**
     * As {@link #write(long, long)}, also recording {@code localKey -> runId} when localKey is not
     * null; {@code found}: the run was found on the server by its tag rather than created.
     */
    void write(long newDone, long newUncertain, String localKey, String runId, boolean found) throws IOException {
        Map<String, String> newRuns = runs;
        Set<String> newAdopted = adopted;
        if (localKey != null) {
            Map<String, String> m = new LinkedHashMap<>(runs);
            m.put(localKey, runId);
            newRuns = Collections.unmodifiableMap(m);
            if (found && !adopted.contains(runId)) {
                Set<String> a = new LinkedHashSet<>(adopted);
                a.add(runId);
                newAdopted = Collections.unmodifiableSet(a);
            }
        }
        writeFile(newDone, newUncertain, verifyBelow, newRuns, newAdopted);
    }

    private void writeFile(long newDone, long newUncertain, long newVerifyBelow, Map<String, String> newRuns,
                           Set<String> newAdopted) throws IOException {
        ObjectNode o = json.createObjectNode().put("format", FORMAT).put("done", newDone).put("uncertain", newUncertain)
                .put("verifyBelow", newVerifyBelow);
        ObjectNode r = o.putObject("runs");
        newRuns.forEach(r::put);
        ArrayNode a = o.putArray("adopted");
        newAdopted.forEach(a::add);
        o.put("sha256", Digests.sha256(canonical(o)));
        AtomicFiles.writeBytes(file, AtomicFiles.NewFileMode.PROCESS_DEFAULT, o.toString().getBytes(StandardCharsets.UTF_8));
        done = newDone;
        uncertain = newUncertain;
        verifyBelow = newVerifyBelow;
        runs = newRuns;
        adopted = newAdopted;
    }

    /** The state file does not parse or verify. */
    private static final class DamagedStateException extends Exception {
        private static final long serialVersionUID = 1L;

        DamagedStateException(String reason) {
            super(reason);
        }
    }
}
