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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.prunelab.io.AtomicFiles;
import org.prunelab.tracking.MetricPoint;
import org.prunelab.tracking.RunInfo;
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
 * outcome, and the run id of each run created from a {@link RunSpec}; replaced atomically.
 * {@code dead-letter.jsonl}: entries the server refused for good, with the reason.
 * {@code blobs/<seq>/}: private copies of artifacts, taken at enqueue time so that the caller may
 * delete or overwrite its file; removed once delivered.
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
 * <p><b>Runs created later.</b> {@link #ensureRun} journals the creation of a run and returns a
 * reference {@code "local:<key>"} that every enqueue method accepts, so a pipeline can start a parent
 * and child runs while the server is down. Run creation is made exactly-once by an idempotency tag
 * (search before create) and by recording the run id in state.json ({@code runs}) in the same atomic
 * write that marks the entry done. Metric points are deduplicated per run, whether they were logged
 * under the local reference or the run id.
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
    private static final String LOCAL_PREFIX = "local:";
    private static final String CREATE_RUN = "createRun";
    private static final String PARENT_RUN_TAG = "mlflow.parentRunId";

    private final TrackingClient client;
    private final Path dir;
    private final Path blobs;
    private final ObjectMapper json = new ObjectMapper();
    private final Journal journal;
    private final DeliveryState state;
    private final Path deadLetterFile;
    /** Concurrent: written by the flusher, read by {@link #ensureRun}. */
    private final Set<Long> deadLettered = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /**
     * (key, step) of every metric point ever journaled here, per run under its canonical name: the
     * server run id once known, else the local reference (merged into the run id when it resolves).
     */
    private final Map<String, Set<String>> seenPoints = new HashMap<>();
    /** Local key to the latest create-run entry journaled for it. */
    private final Map<String, ObjectNode> runCreates = new HashMap<>();
    /** (experiment, idempotency tag, value) to local key: two local keys may not share one server run. */
    private final Map<String, String> runIdentities = new HashMap<>();
    private volatile TrackingException lastError;
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
        this.state = DeliveryState.load(dir.resolve("state.json"), json);
        this.journal = Journal.open(dir.resolve("journal.jsonl"), json);
        this.deadLetterFile = dir.resolve("dead-letter.jsonl");
        loadDeadLetterSeqs();
        for (ObjectNode e : journal.loaded()) {
            if ("metrics".equals(e.path("op").asText())) {
                Set<String> seen = seenPoints.computeIfAbsent(canonicalRun(e.path("runId").asText()), r -> new HashSet<>());
                for (JsonNode p : e.path("points")) {
                    seen.add(pointId(p.path("key").asText(), p.path("step").asLong()));
                }
            }
            if (CREATE_RUN.equals(e.path("op").asText())) {
                runCreates.put(e.path("localKey").asText(), e);
                runIdentities.put(runIdentity(e), e.path("localKey").asText());
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

    // ---- runs -----------------------------------------------------------------------------------

    /** The run reference of a local key, as {@link #ensureRun} returns it. */
    public static String localRef(String localKey) {
        return LOCAL_PREFIX + localKey;
    }

    /**
     * Journals the creation of a run, to happen when the server is reachable, and returns the
     * reference {@code "local:" + localKey}, which every enqueue method accepts in place of a run id.
     *
     * <p>Delivery gets or creates the experiment, then looks for a run in it whose idempotency tag has
     * the spec's value; the earliest such run is adopted, and only if there is none is a run created
     * (with {@code mlflow.parentRunId} set to the parent's run id when {@code parentLocalKey} is given).
     * The run id is recorded in the same atomic state write that marks the entry done; a crash in
     * between is repaired by the search on the next attempt. So one key never yields two runs.
     * (The search sees active runs only: a run deleted on the server is not adopted but replaced.)
     *
     * <p>Calling it again with a local key already journaled (e.g. in a resumed process) journals
     * nothing and returns the same reference; the first spec's tags and name stand. A spec that names
     * another experiment, idempotency value or parent for the same key is refused, as is a second local
     * key for the same idempotency value. Only when the earlier creation was dead-lettered (the server
     * refused it) is a new creation journaled.
     */
    public String ensureRun(RunSpec spec) {
        spec.tags().forEach(MlflowNames::validateTag);
        MlflowNames.validateKey("tag", spec.idempotencyTagKey());
        synchronized (journalLock) {
            String ref = localRef(spec.localKey());
            if (spec.parentLocalKey() != null && !runCreates.containsKey(spec.parentLocalKey())) {
                throw new IllegalArgumentException("run '" + spec.localKey() + "': parent '" + spec.parentLocalKey()
                        + "' was not ensured in this outbox first");
            }
            ObjectNode e = entry(CREATE_RUN, ref);
            e.put("localKey", spec.localKey());
            e.put("experiment", spec.experimentName());
            if (spec.runName() != null) {
                e.put("runName", spec.runName());
            }
            ObjectNode t = e.putObject("tags");
            spec.tags().forEach(t::put);
            e.put("idempotencyTagKey", spec.idempotencyTagKey());
            if (spec.parentLocalKey() != null) {
                e.put("parentLocalKey", spec.parentLocalKey());
            }
            String identity = runIdentity(e);
            String owner = runIdentities.get(identity);
            if (owner != null && !owner.equals(spec.localKey())) {
                throw new IllegalArgumentException("run '" + spec.localKey() + "': local key '" + owner
                        + "' already stands for the run with " + spec.idempotencyTagKey() + " = '" + spec.idempotencyValue() + "'");
            }
            ObjectNode earlier = runCreates.get(spec.localKey());
            if (earlier != null) {
                if (!identity.equals(runIdentity(earlier))
                        || !earlier.path("parentLocalKey").asText("").equals(spec.parentLocalKey() == null ? "" : spec.parentLocalKey())) {
                    throw new IllegalArgumentException("run '" + spec.localKey() + "' was ensured before with another experiment, "
                            + "idempotency value or parent: " + earlier);
                }
                boolean refused = deadLettered.contains(earlier.get("seq").asLong()) && !state.runs().containsKey(spec.localKey());
                if (!refused) {
                    return ref;
                }
            }
            append(e, null);
            runCreates.put(spec.localKey(), e);
            runIdentities.put(identity, spec.localKey());
            return ref;
        }
    }

    /** The server run id of a local key, once its creation has been delivered. */
    public Optional<String> resolvedRunId(String localKey) {
        return Optional.ofNullable(state.runs().get(localKey));
    }

    private static String runIdentity(ObjectNode createEntry) {
        String tagKey = createEntry.path("idempotencyTagKey").asText();
        return createEntry.path("experiment").asText() + '\u0000' + tagKey + '\u0000' + createEntry.path("tags").path(tagKey).asText();
    }

    /** The name under which metric points of a run reference are deduplicated. */
    private String canonicalRun(String ref) {
        if (ref.startsWith(LOCAL_PREFIX)) {
            String id = state.runs().get(ref.substring(LOCAL_PREFIX.length()));
            return id != null ? id : ref;
        }
        return ref;
    }

    /** The server run id for a reference; a local one must have been resolved by an earlier entry. */
    private String resolve(String ref) {
        if (!ref.startsWith(LOCAL_PREFIX)) {
            return ref;
        }
        String key = ref.substring(LOCAL_PREFIX.length());
        String id = state.runs().get(key);
        if (id == null) {
            // Delivery is in journal order and the create entry comes first, so it was refused.
            throw new IllegalArgumentException("run " + ref + " was never created on the server (its create-run entry was "
                    + "dead-lettered)");
        }
        return id;
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
            Set<String> seen = seenPoints.getOrDefault(canonicalRun(runId), Set.of());
            for (MetricPoint p : points) {
                String id = pointId(p.key(), p.step());
                if (seen.contains(id) || !inCall.add(id)) {
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
            seenPoints.computeIfAbsent(canonicalRun(runId), r -> new HashSet<>()).addAll(ids);
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
        if (runId.startsWith(LOCAL_PREFIX) && !op.equals(CREATE_RUN)) {
            synchronized (journalLock) {
                if (!runCreates.containsKey(runId.substring(LOCAL_PREFIX.length()))) {
                    throw new IllegalArgumentException("unknown run reference '" + runId + "': call ensureRun first");
                }
            }
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
                    lastError = null;
                    return new FlushResult(delivered, dead, skipped, 0, null);
                }
                long seq = e.get("seq").asLong();
                try {
                    if (CREATE_RUN.equals(e.path("op").asText())) {
                        String runId = deliverCreateRun(e);
                        markDone(seq, e.path("localKey").asText(), runId);
                    } else {
                        skipped += deliver(e, seq);
                        markDone(seq);
                    }
                    delivered++;
                    lastError = null;
                } catch (TrackingException ex) {
                    if (ex.retryable()) {
                        lastError = ex;
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

    /**
     * The retryable failure that stopped the last flush (server down, time-out, 5xx), or empty once an
     * entry got through. With {@link #pending()} it tells the user, e.g. "MLflow unreachable (…): 12
     * entries pending, will deliver later".
     */
    public Optional<TrackingException> lastError() {
        return Optional.ofNullable(lastError);
    }

    /**
     * Finds the run by its idempotency tag or creates it; returns its id. Always searches first, so a
     * run created by an attempt whose outcome was not recorded (lost response, crash) is found again.
     */
    private String deliverCreateRun(ObjectNode e) {
        String localKey = e.path("localKey").asText();
        String known = state.runs().get(localKey);
        if (known != null) {
            return known;
        }
        String experimentId = client.getOrCreateExperiment(e.path("experiment").asText());
        String tagKey = e.path("idempotencyTagKey").asText();
        String value = e.path("tags").path(tagKey).asText();
        char q = value.contains("'") ? '"' : '\'';
        String filter = "tags.`" + tagKey + "` = " + q + value + q;
        Optional<RunInfo> found = client.searchRuns(List.of(experimentId), filter).stream()
                .filter(r -> value.equals(r.tags().get(tagKey)))
                .min(Comparator.comparingLong(RunInfo::startTime).thenComparing(RunInfo::runId));
        if (found.isPresent()) {
            LOG.info("tracking outbox: run {} is {} (found by {} = '{}')", localRef(localKey), found.get().runId(), tagKey, value);
            return found.get().runId();
        }
        Map<String, String> tags = toMap(e.path("tags"));
        if (e.hasNonNull("parentLocalKey")) {
            tags.put(PARENT_RUN_TAG, resolve(localRef(e.path("parentLocalKey").asText())));
        }
        String runId = client.createRun(experimentId, e.path("runName").asText(null), tags).runId();
        LOG.info("tracking outbox: created run {} for {}", runId, localRef(localKey));
        return runId;
    }

    /** Sends one entry; returns how many metric points were skipped as already stored. */
    private int deliver(ObjectNode e, long seq) {
        String runId = resolve(e.path("runId").asText());
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
        markDone(seq, null, null);
    }

    /** Marks the entry done and, for a create-run entry, records its run id in the same atomic write. */
    private void markDone(long seq, String localKey, String runId) {
        if (localKey == null) {
            writeState(seq + 1, -1);
            synchronized (journalLock) {
                undelivered.poll();
            }
        } else {
            // Under the journal lock: logMetrics must never see the new id without the merged points.
            synchronized (journalLock) {
                writeState(seq + 1, -1, localKey, runId);
                undelivered.poll();
                // Points journaled under the local reference (or already under the id) now dedupe together.
                Set<String> local = seenPoints.remove(localRef(localKey));
                if (local != null) {
                    seenPoints.computeIfAbsent(runId, r -> new HashSet<>()).addAll(local);
                }
            }
        }
        deleteTree(blobs.resolve(Long.toString(seq)));
    }

    private void writeState(long done, long uncertain) {
        writeState(done, uncertain, null, null);
    }

    private void writeState(long done, long uncertain, String localKey, String runId) {
        try {
            state.write(done, uncertain, localKey, runId);
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

    private static String pointId(String key, long step) {
        return key + '\u0000' + step;
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
