package org.prunelab.tracking.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.prunelab.tracking.MetricPoint;
import org.prunelab.tracking.RunStatus;
import org.prunelab.tracking.TrackingClient;
import org.prunelab.tracking.TrackingException;
import org.prunelab.tracking.mlflow.ArtifactPaths;
import org.prunelab.tracking.mlflow.MlflowNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable, crash-safe queue of tracking operations in front of a {@link TrackingClient}: the
 * pipeline keeps computing while the server is down, and nothing is lost or duplicated.
 *
 * <p><b>Files in the directory.</b> {@code journal.jsonl}: one JSON line per operation, line number =
 * sequence number, forced to disk before the enqueue call returns. {@code state.json}: how many
 * entries are done (delivered or dead-lettered) and which entry, if any, has an attempt of unknown
 * outcome; replaced atomically. {@code dead-letter.jsonl}: entries the server refused for good, with
 * the reason. {@code blobs/<seq>/}: private copies of artifacts, taken at enqueue time so that the
 * caller may delete or overwrite its file; removed once delivered.
 *
 * <p><b>Why fsync per append.</b> Enqueue calls are coarse (a batch of metric points per epoch, a
 * map of params, one artifact), so one fsync (~ms) each is cheap next to the work between them, and
 * it makes the contract simple: once an enqueue method returns, the operation survives SIGKILL and
 * power loss. Group commit would buy throughput we do not need at the price of that guarantee.
 *
 * <p><b>Exactly once.</b> Delivery is strictly in journal order (so per-run order holds) by one
 * flusher at a time. Params (same value again is accepted), tags (overwrite), status (carries its
 * original end time) and artifact PUTs (overwrite the same bytes) are idempotent, so re-sending
 * one after a crash is invisible. Metric points are not (MLflow appends): before the first attempt
 * at a metric entry, state.json records it as "uncertain"; any later attempt at an uncertain entry
 * (after a time-out, a lost response, or a crash) first reads the metric history of its keys and
 * sends only the (key, step) points not yet there. Entries are marked done only after the server
 * confirmed. At enqueue time, (run, key, step) points already present anywhere in the journal are
 * dropped, so a resumed stage re-logging old steps adds nothing.
 *
 * <p><b>Failures.</b> A retryable failure (no answer, 429, 502-504) stops the flush; the background
 * thread retries with exponential backoff. A non-retryable one (400, 404, invalid input, missing
 * blob) moves the entry to the dead-letter file and delivery continues with the next entry.
 *
 * <p>The wrapped client is not closed by the outbox; its owner closes it.
 */
public final class TrackingOutbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrackingOutbox.class);
    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(3);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(2);
    private static final Duration DEFAULT_CLOSE_LIMIT = Duration.ofSeconds(30);

    private final TrackingClient client;
    private final Path dir;
    private final Path blobs;
    private final ObjectMapper json = new ObjectMapper();
    private final Journal journal;
    private final DeliveryState state;
    private final Path deadLetterFile;
    private final Set<Long> deadLettered = new HashSet<>();
    /** (runId, key, step) of every metric point ever journaled here. */
    private final Set<String> seenPoints = new HashSet<>();
    private final ArrayDeque<ObjectNode> undelivered = new ArrayDeque<>();
    private final Object journalLock = new Object();
    private final Object flushLock = new Object();
    private ScheduledExecutorService scheduler;
    private volatile long nextBackgroundAttempt;
    private int consecutiveFailures;
    private volatile boolean closed;

    private TrackingOutbox(TrackingClient client, Path dir) throws IOException {
        this.client = client;
        this.dir = dir;
        this.blobs = dir.resolve("blobs");
        Files.createDirectories(blobs);
        this.journal = Journal.open(dir.resolve("journal.jsonl"), json);
        this.state = DeliveryState.load(dir.resolve("state.json"), json);
        this.deadLetterFile = dir.resolve("dead-letter.jsonl");
        loadDeadLetterSeqs();
        for (ObjectNode e : journal.loaded()) {
            if ("metrics".equals(e.path("op").asText())) {
                String run = e.path("runId").asText();
                for (JsonNode p : e.path("points")) {
                    seenPoints.add(pointId(run, p.path("key").asText(), p.path("step").asLong()));
                }
            }
            if (e.get("seq").asLong() >= state.done()) {
                undelivered.add(e);
            }
        }
        removeStaleBlobs();
    }

    /** Opens (or creates) the outbox in {@code dir}, replaying what an earlier process left undelivered. */
    public static TrackingOutbox open(TrackingClient client, Path dir) {
        try {
            Files.createDirectories(dir);
            return new TrackingOutbox(client, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open tracking outbox in " + dir, e);
        }
    }

    // ---- enqueue --------------------------------------------------------------------------------

    public void logParams(String runId, Map<String, String> params) {
        params.forEach(MlflowNames::validateParam);
        ObjectNode e = entry("params", runId);
        ObjectNode p = e.putObject("params");
        new LinkedHashMap<>(params).forEach(p::put);
        append(e, null);
    }

    public void setTags(String runId, Map<String, String> tags) {
        tags.forEach(MlflowNames::validateTag);
        ObjectNode e = entry("tags", runId);
        ObjectNode t = e.putObject("tags");
        new LinkedHashMap<>(tags).forEach(t::put);
        append(e, null);
    }

    /**
     * Journals the points whose (run, key, step) this outbox has not seen before.
     *
     * @return how many points were journaled (the rest were duplicates of earlier steps)
     */
    public int logMetrics(String runId, List<MetricPoint> points) {
        for (MetricPoint p : points) {
            MlflowNames.validateKey("metric", p.key());
            if (p.timestampMillis() < 0) {
                throw new IllegalArgumentException("metric '" + p.key() + "' has a negative timestamp");
            }
        }
        synchronized (journalLock) {
            ObjectNode e = entry("metrics", runId);
            ArrayNode arr = e.putArray("points");
            List<String> ids = new ArrayList<>();
            Set<String> inCall = new HashSet<>();
            for (MetricPoint p : points) {
                String id = pointId(runId, p.key(), p.step());
                if (seenPoints.contains(id) || !inCall.add(id)) {
                    continue;
                }
                ids.add(id);
                ObjectNode o = arr.addObject();
                o.put("key", p.key());
                putDouble(o, p.value());
                o.put("timestamp", p.timestampMillis());
                o.put("step", p.step());
            }
            if (ids.isEmpty()) {
                return 0;
            }
            append(e, null);
            seenPoints.addAll(ids);
            return ids.size();
        }
    }

    /** The end time of a terminal status is taken now and journaled, so a replay sends the same value. */
    public void setStatus(String runId, RunStatus status) {
        ObjectNode e = entry("status", runId);
        e.put("status", status.name());
        e.put("endTime", System.currentTimeMillis());
        append(e, null);
    }

    /** Copies {@code localFile} into the outbox now and uploads it to {@code artifactDir} of the run later. */
    public void uploadArtifact(String runId, Path localFile, String artifactDir) {
        if (!Files.isRegularFile(localFile)) {
            throw new IllegalArgumentException("not a regular file: " + localFile);
        }
        ArtifactPaths.join(artifactDir, localFile.getFileName().toString());
        ObjectNode e = entry("artifact", runId);
        e.put("dir", artifactDir == null ? "" : artifactDir);
        e.put("file", localFile.getFileName().toString());
        append(e, blobDir -> copyFile(localFile, blobDir.resolve(localFile.getFileName().toString())));
    }

    /** Copies a directory tree (regular files only, symlinks skipped) now and uploads it later. */
    public void uploadArtifacts(String runId, Path localDir, String artifactDir) {
        if (!Files.isDirectory(localDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("not a directory: " + localDir);
        }
        ArtifactPaths.segments(artifactDir);
        ObjectNode e = entry("artifacts", runId);
        e.put("dir", artifactDir == null ? "" : artifactDir);
        append(e, blobDir -> copyTree(localDir, blobDir.resolve("tree")));
    }

    private ObjectNode entry(String op, String runId) {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("runId is empty");
        }
        ObjectNode e = json.createObjectNode();
        e.put("seq", -1L);
        e.put("op", op);
        e.put("runId", runId);
        e.put("enqueuedAt", System.currentTimeMillis());
        return e;
    }

    private interface BlobWriter {
        void write(Path blobDir) throws IOException;
    }

    private void append(ObjectNode e, BlobWriter blob) {
        synchronized (journalLock) {
            if (closed) {
                throw new IllegalStateException("tracking outbox in " + dir + " is closed");
            }
            long seq = journal.nextSeq();
            e.put("seq", seq);
            try {
                if (blob != null) {
                    Path blobDir = blobs.resolve(Long.toString(seq));
                    deleteTree(blobDir); // left over from a torn entry with the same number
                    Files.createDirectories(blobDir);
                    blob.write(blobDir);
                    AtomicFiles.fsyncDirectory(blobDir);
                    AtomicFiles.fsyncDirectory(blobs);
                }
                journal.append(e);
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot write to tracking outbox journal " + journal.file(), ex);
            }
            undelivered.add(e);
        }
    }

    // ---- delivery -------------------------------------------------------------------------------

    /** Entries journaled but neither delivered nor dead-lettered. */
    public int pending() {
        synchronized (journalLock) {
            return undelivered.size();
        }
    }

    /**
     * Delivers pending entries in order until done or a retryable failure. Never throws for server
     * trouble: the result says what happened.
     */
    public FlushResult flush() {
        synchronized (flushLock) {
            int delivered = 0;
            int dead = 0;
            int skipped = 0;
            while (true) {
                ObjectNode e;
                synchronized (journalLock) {
                    e = undelivered.peek();
                }
                if (e == null) {
                    consecutiveFailures = 0;
                    return new FlushResult(delivered, dead, skipped, 0, null);
                }
                long seq = e.get("seq").asLong();
                try {
                    skipped += deliver(e, seq);
                    delivered++;
                    markDone(seq);
                } catch (TrackingException ex) {
                    if (ex.retryable()) {
                        consecutiveFailures++;
                        long backoff = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(consecutiveFailures, 16));
                        nextBackgroundAttempt = System.currentTimeMillis() + backoff;
                        LOG.info("tracking outbox: delivery paused at entry {} ({}); {} pending, next try in {} ms",
                                seq, ex.getMessage(), pending(), backoff);
                        return new FlushResult(delivered, dead, skipped, pending(), ex);
                    }
                    deadLetter(e, seq, ex.getMessage(), ex.httpStatus());
                    dead++;
                } catch (IllegalArgumentException | UncheckedIOException ex) {
                    deadLetter(e, seq, String.valueOf(ex.getMessage()), -1);
                    dead++;
                }
            }
        }
    }

    /** Sends one entry; returns how many metric points were skipped as already stored. */
    private int deliver(ObjectNode e, long seq) {
        String runId = e.path("runId").asText();
        switch (e.path("op").asText()) {
            case "params" -> client.logParams(runId, toMap(e.path("params")));
            case "tags" -> client.setTags(runId, toMap(e.path("tags")));
            case "status" -> client.setStatus(runId, RunStatus.valueOf(e.path("status").asText()), e.path("endTime").asLong());
            case "artifact" -> client.uploadArtifact(runId, blobFile(seq, e.path("file").asText()), e.path("dir").asText());
            case "artifacts" -> client.uploadArtifacts(runId, blobTree(seq), e.path("dir").asText());
            case "metrics" -> {
                return deliverMetrics(e, seq, runId);
            }
            default -> throw new IllegalArgumentException("unknown outbox operation '" + e.path("op").asText() + "'");
        }
        return 0;
    }

    private int deliverMetrics(ObjectNode e, long seq, String runId) {
        List<MetricPoint> points = new ArrayList<>();
        for (JsonNode p : e.path("points")) {
            points.add(new MetricPoint(p.path("key").asText(), readDouble(p.get("value")), p.path("timestamp").asLong(),
                    p.path("step").asLong()));
        }
        int skipped = 0;
        if (state.uncertain() == seq) {
            // An earlier attempt may have been applied (lost response, time-out, crash): keep only
            // the points the server does not have yet.
            Map<String, Set<Long>> stored = new LinkedHashMap<>();
            for (MetricPoint p : points) {
                stored.computeIfAbsent(p.key(), k -> {
                    Set<Long> steps = new HashSet<>();
                    client.metricHistory(runId, k).forEach(m -> steps.add(m.step()));
                    return steps;
                });
            }
            List<MetricPoint> missing = new ArrayList<>();
            for (MetricPoint p : points) {
                if (!stored.get(p.key()).contains(p.step())) {
                    missing.add(p);
                }
            }
            skipped = points.size() - missing.size();
            if (skipped > 0) {
                LOG.info("tracking outbox: entry {} was partly or fully stored by an earlier attempt; skipping {} of {} points",
                        seq, skipped, points.size());
            }
            points = missing;
        } else {
            writeState(state.done(), seq);
        }
        if (!points.isEmpty()) {
            client.logMetrics(runId, points);
        }
        return skipped;
    }

    private void markDone(long seq) {
        writeState(seq + 1, -1);
        synchronized (journalLock) {
            undelivered.poll();
        }
        deleteTree(blobs.resolve(Long.toString(seq)));
    }

    private void writeState(long done, long uncertain) {
        try {
            state.write(done, uncertain);
        } catch (IOException ex) {
            // Not UncheckedIOException: flush() dead-letters those, and a local disk failure is no
            // reason to give up on an entry.
            throw new IllegalStateException("cannot write outbox state in " + dir, ex);
        }
    }

    private void deadLetter(ObjectNode e, long seq, String reason, int status) {
        LOG.warn("tracking outbox: entry {} ({} on run {}) refused, moved to dead-letter: {}", seq, e.path("op").asText(),
                e.path("runId").asText(), reason);
        if (!deadLettered.contains(seq)) {
            ObjectNode d = json.createObjectNode();
            d.put("seq", seq);
            d.put("reason", reason);
            d.put("httpStatus", status);
            d.put("at", System.currentTimeMillis());
            d.set("entry", e);
            try {
                Files.write(deadLetterFile, (d.toString() + "\n").getBytes(StandardCharsets.UTF_8),
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                AtomicFiles.fsyncFile(deadLetterFile);
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot write outbox dead-letter file " + deadLetterFile, ex);
            }
            deadLettered.add(seq);
        }
        markDone(seq);
    }

    /** The dead-letter lines written so far (JSON objects with seq, reason, httpStatus, entry). */
    public List<JsonNode> deadLetters() {
        List<JsonNode> out = new ArrayList<>();
        if (Files.exists(deadLetterFile)) {
            try {
                for (String line : Files.readAllLines(deadLetterFile, StandardCharsets.UTF_8)) {
                    try {
                        out.add(json.readTree(line));
                    } catch (IOException torn) {
                        // a torn last line from a crash: its entry is re-tried and re-recorded
                    }
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return out;
    }

    private void loadDeadLetterSeqs() {
        deadLetters().forEach(d -> deadLettered.add(d.path("seq").asLong()));
    }

    // ---- background -----------------------------------------------------------------------------

    /** Flushes every {@code interval} on a daemon thread (after a failure: exponential backoff up to 2 min). */
    public synchronized TrackingOutbox start(Duration interval) {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "prunelab-tracking-outbox");
                t.setDaemon(true);
                return t;
            });
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    if (System.currentTimeMillis() >= nextBackgroundAttempt && pending() > 0) {
                        flush();
                    }
                } catch (RuntimeException ex) {
                    LOG.error("tracking outbox: background flush failed", ex);
                }
            }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    public TrackingOutbox start() {
        return start(DEFAULT_INTERVAL);
    }

    /** Stops the background thread and tries to deliver what is pending, waiting at most {@code limit}. */
    public FlushResult close(Duration limit) {
        synchronized (this) {
            if (scheduler != null) {
                scheduler.shutdownNow();
                scheduler = null;
            }
        }
        FlushResult result;
        CompletableFuture<FlushResult> f = CompletableFuture.supplyAsync(this::flush, r -> {
            Thread t = new Thread(r, "prunelab-tracking-outbox-close");
            t.setDaemon(true);
            t.start();
        });
        try {
            result = f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException ex) {
            result = new FlushResult(0, 0, 0, pending(), new TrackingException("outbox close: flush did not finish within "
                    + limit.toMillis() + " ms; " + pending() + " entries stay in " + dir, -1, true, ex));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            result = new FlushResult(0, 0, 0, pending(), null);
        } catch (java.util.concurrent.ExecutionException ex) {
            result = new FlushResult(0, 0, 0, pending(), new TrackingException("outbox close: " + ex.getCause(), -1, true, ex));
        }
        synchronized (journalLock) {
            closed = true;
            try {
                journal.close();
            } catch (IOException ignored) {
                // every append was already forced to disk
            }
        }
        if (result.pending() > 0) {
            LOG.warn("tracking outbox closed with {} undelivered entries kept in {}", result.pending(), dir);
        }
        return result;
    }

    @Override
    public void close() {
        close(DEFAULT_CLOSE_LIMIT);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static String pointId(String runId, String key, long step) {
        return runId + '\u0000' + key + '\u0000' + step;
    }

    private static Map<String, String> toMap(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().asText()));
        return m;
    }

    private static void putDouble(ObjectNode o, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.put("value", Double.toString(v)); // "NaN", "Infinity", "-Infinity"
        } else {
            o.put("value", v);
        }
    }

    private static double readDouble(JsonNode n) {
        return n.isNumber() ? n.doubleValue() : Double.parseDouble(n.asText());
    }

    private Path blobFile(long seq, String name) {
        Path p = blobs.resolve(Long.toString(seq)).resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("outbox copy of artifact is missing: " + p);
        }
        return p;
    }

    private Path blobTree(long seq) {
        Path p = blobs.resolve(Long.toString(seq)).resolve("tree");
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException("outbox copy of artifact directory is missing: " + p);
        }
        return p;
    }

    private static void copyFile(Path from, Path to) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        AtomicFiles.fsyncFile(to);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) { // symlinks are reported as such (not followed) and skipped
                    copyFile(f, to.resolve(from.relativize(f).toString()));
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Blobs of entries already done, or of entries that never made it into the journal. */
    private void removeStaleBlobs() throws IOException {
        Set<String> keep = new HashSet<>();
        undelivered.forEach(e -> keep.add(Long.toString(e.get("seq").asLong())));
        try (var s = Files.list(blobs)) {
            s.filter(p -> !keep.contains(p.getFileName().toString())).forEach(TrackingOutbox::deleteTree);
        }
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(q -> {
                try {
                    Files.deleteIfExists(q);
                } catch (IOException ignored) {
                    // a leftover blob is harmless; it is removed on the next open
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }
}
