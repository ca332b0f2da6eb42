package org.prunelab.tracking.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.prunelab.tracking.MetricPoint;
import org.prunelab.tracking.RunStatus;
import org.prunelab.tracking.TrackingClient;
import org.prunelab.tracking.TrackingException;
import org.prunelab.tracking.TrackingNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable, crash-safe queue of tracking operations in front of a {@link TrackingClient}: the
 * pipeline keeps computing while the server is down, and nothing is lost or duplicated.
 *
 * <p><b>Files in the directory.</b> {@code journal.jsonl}: one JSON line per operation, line number =
 * sequence number, forced to disk before the enqueue call returns. {@code state.json}: how many
 * entries are done (delivered or dead-lettered) and which entry, if any, has an attempt of unknown
 * outcome, and the run id of each run created from a {@link RunSpec}; replaced atomically and
 * checksummed, and quarantined when damaged (see {@link DeliveryState}: delivery then starts over
 * without doubling anything).
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
 * dropped, so a resumed stage re-logging old steps adds nothing; only a summary (step 0) whose value
 * differs from the latest journaled one goes out again, as MLflow's new latest value
 * ({@link MetricPointIndex}; the server-side check follows the same rules, {@link ServerHistoryCheck}).
 * A run this outbox did not create but found on the server by its idempotency tag (the same step
 * computed again in a fresh runs directory, or by a process that journaled into another outbox
 * slot) may already hold points this journal never saw: metric entries for such an <em>adopted</em>
 * run are always checked against the server's history, so a re-run adds no point twice
 * (docs/mlflow-notes.md, section 8).
 *
 * <p><b>A damaged journal.</b> Only a torn last line (no newline) is what a kill leaves; it is
 * dropped. A journal damaged anywhere else is copied aside and rewritten with its intact lines and a
 * placeholder per lost entry ({@link JournalScan}, {@link JournalQuarantine}), with one warning
 * ({@link JournalDamage}) naming the file, the lines, the copy and the entries lost, delivered or
 * not. Since a lost line may have held points the server has, every metric entry of a journal with
 * placeholders is checked against the server's history; entries of a run whose creation was lost
 * are dead-lettered with that reason (the run's name and tags are gone; nothing is invented); a lost
 * artifact entry's private copy is kept next to the damaged copy. A journal shorter than
 * state.json's count of done entries is padded with placeholders, so new entries never take a
 * number already counted as done (docs/mlflow-notes.md, section 8, "A damaged journal").
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
 * <p><b>Who does what.</b> This class is the enqueue API and wires the parts: {@link OutboxQueue}
 * (journal, blobs, pending entries), {@link OutboxEntries} (entry encoding), {@link MetricPointIndex}
 * (dedupe), {@link LocalRuns} (local run references), {@link Delivery} (the delivery state machine),
 * {@link DeadLetters} and {@link FlushScheduler}. It knows no tracking server: names are checked by
 * the client's {@link TrackingNames}, and how a parent run is recorded is the client's business.
 *
 * <p>The wrapped client is not closed by the outbox; its owner closes it.
 */
public final class TrackingOutbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrackingOutbox.class);
    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(3);
    private static final Duration DEFAULT_CLOSE_LIMIT = Duration.ofSeconds(30);

    private final Path dir;
    private final TrackingNames names;
    private final DeliveryState state;
    private final OutboxQueue queue;
    private final LocalRuns runs;
    private final MetricPointIndex points = new MetricPointIndex();
    private final DeadLetters deadLetters;
    private final Delivery delivery;
    private final FlushScheduler scheduler;

    private TrackingOutbox(TrackingClient client, Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        this.dir = dir;
        this.names = client.names();
        this.queue = OutboxQueue.open(dir, json);
        this.state = DeliveryState.load(dir.resolve("state.json"), json, queue.loaded().size(), LOG::warn);
        queue.damage().ifPresent(d -> LOG.warn(d.warning(state.done())));
        List<Long> padded = queue.padWithLost(state.done(), "after the journal's last line, though state.json counts it as done");
        if (!padded.isEmpty()) {
            LOG.warn("tracking outbox journal {} ends before entry {}, though state.json counts {} entries as done: its last"
                    + " lines were lost after they were delivered. Entries {} are kept as placeholders so that new entries do"
                    + " not take their numbers, and every metric entry is now checked against the server's history before"
                    + " it is sent. Nothing to do.", dir.resolve("journal.jsonl"), padded.get(0), state.done(),
                    JournalDamage.join(padded));
        }
        queue.resumeFrom(state.done());
        this.runs = new LocalRuns(state);
        this.deadLetters = new DeadLetters(dir.resolve("dead-letter.jsonl"), json);
        for (ObjectNode e : queue.loaded()) {
            if (OutboxEntries.METRICS.equals(OutboxEntries.op(e))) {
                points.add(runs.canonical(OutboxEntries.runRef(e)), OutboxEntries.points(e));
            }
            if (OutboxEntries.CREATE_RUN.equals(OutboxEntries.op(e))) {
                runs.record(e);
            }
        }
        this.delivery = new Delivery(client, dir, queue, state, runs, points, deadLetters);
        this.scheduler = new FlushScheduler(delivery::flush, queue::pending);
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
        return LocalRuns.ref(localKey);
    }

    /**
     * Journals the creation of a run, to happen when the server is reachable, and returns the
     * reference {@code "local:" + localKey}, which every enqueue method accepts in place of a run id.
     *
     * <p>Delivery gets or creates the experiment, then looks for a run in it whose idempotency tag has
     * the spec's value; the earliest such run is adopted, and only if there is none is a run created
     * (as a child of the parent's run when {@code parentLocalKey} is given).
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
        spec.tags().forEach(names::validateTag);
        names.validateTagKey(spec.idempotencyTagKey());
        names.validateSearchableTagValue(spec.idempotencyTagKey(), spec.idempotencyValue());
        synchronized (queue.lock) {
            String ref = localRef(spec.localKey());
            ObjectNode e = OutboxEntries.createRun(spec, ref);
            if (runs.needsCreation(spec, e, deadLetters::contains)) {
                queue.append(e, null);
                runs.record(e);
            }
            return ref;
        }
    }

    /** The server run id of a local key, once its creation has been delivered. */
    public Optional<String> resolvedRunId(String localKey) {
        return Optional.ofNullable(state.runs().get(localKey));
    }

    // ---- enqueue --------------------------------------------------------------------------------

    public void logParams(String runId, Map<String, String> params) {
        params.forEach(names::validateParam);
        append(OutboxEntries.strings(OutboxEntries.PARAMS, checked(runId), params), null);
    }

    public void setTags(String runId, Map<String, String> tags) {
        tags.forEach(names::validateTag);
        append(OutboxEntries.strings(OutboxEntries.TAGS, checked(runId), tags), null);
    }

    /**
     * Journals the points that change what the run holds: a (key, step) this outbox has not
     * journaled before, or a summary (step 0) whose value differs from the latest journaled one
     * (see {@link MetricPointIndex}: a resumed epoch adds nothing, a recomputed summary replaces the
     * old value in MLflow).
     *
     * @return how many points were journaled (the rest repeated what was journaled before)
     */
    public int logMetrics(String runId, List<MetricPoint> metricPoints) {
        for (MetricPoint p : metricPoints) {
            names.validateMetricKey(p.key());
            if (p.timestampMillis() < 0) {
                throw new IllegalArgumentException("metric '" + p.key() + "' has a negative timestamp");
            }
        }
        synchronized (queue.lock) {
            checked(runId);
            List<MetricPoint> fresh = points.fresh(runs.canonical(runId), metricPoints);
            if (fresh.isEmpty()) {
                return 0;
            }
            append(OutboxEntries.metrics(runId, fresh), null);
            points.add(runs.canonical(runId), fresh);
            return fresh.size();
        }
    }

    /** The end time of a terminal status is taken now and journaled, so a replay sends the same value. */
    public void setStatus(String runId, RunStatus status) {
        append(OutboxEntries.status(checked(runId), status), null);
    }

    /** Copies {@code localFile} into the outbox now and uploads it to {@code artifactDir} of the run later. */
    public void uploadArtifact(String runId, Path localFile, String artifactDir) {
        if (!Files.isRegularFile(localFile)) {
            throw new IllegalArgumentException("not a regular file: " + localFile);
        }
        names.validateArtifactFile(artifactDir, localFile.getFileName().toString());
        append(OutboxEntries.artifact(checked(runId), artifactDir, localFile.getFileName().toString()),
                (blobs, seq) -> blobs.putFile(seq, localFile));
    }

    /** Copies a directory tree (regular files only, symlinks skipped) now and uploads it later. */
    public void uploadArtifacts(String runId, Path localDir, String artifactDir) {
        if (!Files.isDirectory(localDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("not a directory: " + localDir);
        }
        names.validateArtifactDir(artifactDir);
        append(OutboxEntries.artifacts(checked(runId), artifactDir), (blobs, seq) -> blobs.putTree(seq, localDir));
    }

    private String checked(String runRef) {
        synchronized (queue.lock) {
            runs.checkUsable(runRef);
        }
        return runRef;
    }

    private void append(ObjectNode e, OutboxQueue.Attachment attachment) {
        queue.append(e, attachment);
    }

    // ---- delivery -------------------------------------------------------------------------------

    /** Entries journaled but neither delivered nor dead-lettered. */
    public int pending() {
        return queue.pending();
    }

    /**
     * Delivers pending entries in order until done or a retryable failure. Never throws for server
     * trouble: the result says what happened.
     */
    public FlushResult flush() {
        FlushResult result = delivery.flush();
        scheduler.recordOutcome(result);
        return result;
    }

    /**
     * The retryable failure that stopped the last flush (server down, time-out, 5xx), or empty once an
     * entry got through. With {@link #pending()} it tells the user, e.g. "MLflow unreachable (…): 12
     * entries pending, will deliver later".
     */
    public Optional<TrackingException> lastError() {
        return delivery.lastError();
    }

    /** The dead-letter lines written so far (JSON objects with seq, reason, httpStatus, entry). */
    public List<JsonNode> deadLetters() {
        return deadLetters.all();
    }

    // ---- background -----------------------------------------------------------------------------

    /** Flushes every {@code interval} on a daemon thread (after a failure: exponential backoff up to 2 min). */
    public TrackingOutbox start(Duration interval) {
        scheduler.start(interval);
        return this;
    }

    public TrackingOutbox start() {
        return start(DEFAULT_INTERVAL);
    }

    /** Stops the background thread and tries to deliver what is pending, waiting at most {@code limit}. */
    public FlushResult close(Duration limit) {
        FlushResult result = scheduler.stopAndFlush(limit, dir.toString());
        queue.close();
        if (result.pending() > 0) {
            LOG.warn("tracking outbox closed with {} undelivered entries kept in {}", result.pending(), dir);
        }
        return result;
    }

    @Override
    public void close() {
        close(DEFAULT_CLOSE_LIMIT);
    }
}
