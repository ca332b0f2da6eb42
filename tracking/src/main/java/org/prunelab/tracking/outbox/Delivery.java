package org.prunelab.tracking.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.prunelab.tracking.MetricPoint;
import org.prunelab.tracking.RunInfo;
import org.prunelab.tracking.RunStatus;
import org.prunelab.tracking.TrackingClient;
import org.prunelab.tracking.TrackingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery state machine: sends the queued entries strictly in journal order, one flusher at
 * a time, and moves each to done (delivered, or dead-lettered when the server refuses it for good).
 * See {@link TrackingOutbox} for the exactly-once rules this implements: metric entries are marked
 * "uncertain" before their first attempt and re-checked against the server's history after; a run
 * is searched by its idempotency tag before it is created, and its id is recorded in the same
 * atomic state write that marks its entry done.
 */
final class Delivery {
    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

    private final TrackingClient client;
    private final Path dir;
    private final OutboxQueue queue;
    private final DeliveryState state;
    private final LocalRuns runs;
    private final MetricPointIndex points;
    private final DeadLetters deadLetters;
    private final Object flushLock = new Object();
    private volatile TrackingException lastError;

    Delivery(TrackingClient client, Path dir, OutboxQueue queue, DeliveryState state, LocalRuns runs, MetricPointIndex points,
             DeadLetters deadLetters) {
        this.client = client;
        this.dir = dir;
        this.queue = queue;
        this.state = state;
        this.runs = runs;
        this.points = points;
        this.deadLetters = deadLetters;
    }

    /** Delivers until nothing is pending or a retryable failure; never throws for server trouble. */
    FlushResult flush() {
        return flush(() -> true);
    }

    /**
     * As {@link #flush()}, but checks {@code keepGoing} before each entry, so that the background
     * flusher can be stopped between entries without an interrupt (an interrupt would close the
     * state file mid-write and leave a delivered entry unrecorded).
     */
    FlushResult flush(BooleanSupplier keepGoing) {
        synchronized (flushLock) {
            int delivered = 0;
            int dead = 0;
            int skipped = 0;
            while (true) {
                ObjectNode e = queue.head();
                if (e != null && !keepGoing.getAsBoolean()) {
                    return new FlushResult(delivered, dead, skipped, queue.pending(), null);
                }
                if (e == null) {
                    lastError = null;
                    return new FlushResult(delivered, dead, skipped, 0, null);
                }
                long seq = OutboxEntries.seq(e);
                try {
                    if (OutboxEntries.CREATE_RUN.equals(OutboxEntries.op(e))) {
                        CreatedRun run = deliverCreateRun(e);
                        markCreated(seq, e.path("localKey").asText(), run.runId(), run.found());
                    } else {
                        skipped += deliver(e, seq);
                        markDone(seq);
                    }
                    delivered++;
                    lastError = null;
                } catch (TrackingException ex) {
                    if (ex.retryable()) {
                        lastError = ex;
                        LOG.info("tracking outbox: delivery paused at entry {} ({}); {} pending", seq, ex.getMessage(),
                                queue.pending());
                        return new FlushResult(delivered, dead, skipped, queue.pending(), ex);
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

    /** The retryable failure that stopped the last flush, or empty once an entry got through. */
    Optional<TrackingException> lastError() {
        return Optional.ofNullable(lastError);
    }

    /**
     * Finds the run by its idempotency tag or creates it; returns its id. Always searches first, so a
     * run created by an attempt whose outcome was not recorded (lost response, crash) is found again.
     */
    private CreatedRun deliverCreateRun(ObjectNode e) {
        String localKey = e.path("localKey").asText();
        String known = state.runs().get(localKey);
        if (known != null) {
            return new CreatedRun(known, false);
        }
        String experimentId = client.getOrCreateExperiment(e.path("experiment").asText());
        String tagKey = e.path("idempotencyTagKey").asText();
        String value = e.path("tags").path(tagKey).asText();
        Optional<RunInfo> found = client.findRunsByTag(experimentId, tagKey, value).stream()
                .min(Comparator.comparingLong(RunInfo::startTime).thenComparing(RunInfo::runId));
        if (found.isPresent()) {
            LOG.info("tracking outbox: run {} is {} (found by {} = '{}')", LocalRuns.ref(localKey), found.get().runId(), tagKey,
                    value);
            return new CreatedRun(found.get().runId(), true);
        }
        String parentRunId = e.hasNonNull("parentLocalKey") ? runs.resolve(LocalRuns.ref(e.path("parentLocalKey").asText())) : null;
        // The run starts when it was journaled (the step started), not when it reaches the server.
        String runId = client.createRun(experimentId, e.path("runName").asText(null), OutboxEntries.toMap(e.path("tags")),
                parentRunId, OutboxEntries.enqueuedAt(e)).runId();
        LOG.info("tracking outbox: created run {} for {}", runId, LocalRuns.ref(localKey));
        return new CreatedRun(runId, false);
    }

    /** A run id, and whether the run was found by its tag (made by someone else) rather than created now. */
    private record CreatedRun(String runId, boolean found) { }

    /** Sends one entry; returns how many metric points were skipped as already stored. */
    private int deliver(ObjectNode e, long seq) {
        if (OutboxEntries.LOST.equals(OutboxEntries.op(e))) {
            return 0; // a placeholder: what the entry held is unknown (JournalQuarantine)
        }
        String runId = runs.resolve(OutboxEntries.runRef(e));
        switch (OutboxEntries.op(e)) {
            case OutboxEntries.PARAMS -> client.logParams(runId, OutboxEntries.toMap(e.path("params")));
            case OutboxEntries.TAGS -> client.setTags(runId, OutboxEntries.toMap(e.path("tags")));
            case OutboxEntries.STATUS -> client.setStatus(runId, RunStatus.valueOf(e.path("status").asText()),
                    e.path("endTime").asLong());
            case OutboxEntries.ARTIFACT -> {
                if (!deliveredBeforeRebuild(seq)) {
                    client.uploadArtifact(runId, queue.blobs().file(seq, e.path("file").asText()), e.path("dir").asText());
                }
            }
            case OutboxEntries.ARTIFACTS -> {
                if (!deliveredBeforeRebuild(seq)) {
                    client.uploadArtifacts(runId, queue.blobs().tree(seq), e.path("dir").asText());
                }
            }
            case OutboxEntries.METRICS -> {
                return deliverMetrics(e, seq, runId);
            }
            default -> throw new IllegalArgumentException("unknown outbox operation '" + OutboxEntries.op(e) + "'");
        }
        return 0;
    }

    /**
     * An artifact entry replayed after a damaged state was rebuilt whose private copy is gone: a
     * copy is removed only once its upload was confirmed, so this one was delivered before.
     */
    private boolean deliveredBeforeRebuild(long seq) {
        return state.replayedAfterRebuild(seq) && !queue.blobs().has(seq);
    }

    private int deliverMetrics(JsonNode e, long seq, String runId) {
        List<MetricPoint> toSend = OutboxEntries.points(e);
        int skipped = 0;
        if (state.mustVerify(seq, runId) || queue.hasLostEntries()) {
            // An earlier attempt may have been applied (lost response, time-out, crash), or someone
            // else logged to this run (an adopted run, a rebuilt state, a lost journal line): keep
            // only the points the server does not have yet.
            List<MetricPoint> missing = ServerHistoryCheck.missing(client, runId, toSend);
            skipped = toSend.size() - missing.size();
            if (skipped > 0) {
                LOG.info("tracking outbox: entry {} was partly or fully stored already; skipping {} of {} points",
                        seq, skipped, toSend.size());
            }
            toSend = missing;
        } else {
            writeState(state.done(), seq, null, null, false);
        }
        if (!toSend.isEmpty()) {
            client.logMetrics(runId, toSend);
        }
        return skipped;
    }

    private void markDone(long seq) {
        writeState(seq + 1, -1, null, null, false);
        queue.removeHead();
    }

    /** Marks a create-run entry done and records its run id (and whether it was found) in the same atomic write. */
    private void markCreated(long seq, String localKey, String runId, boolean found) {
        // Under the journal lock: an enqueuer must never see the new id without the merged points.
        synchronized (queue.lock) {
            writeState(seq + 1, -1, localKey, runId, found);
            queue.removeHead();
            // Points journaled under the local reference (or already under the id) now dedupe together.
            points.merge(LocalRuns.ref(localKey), runId);
        }
    }

    private void writeState(long done, long uncertain, String localKey, String runId, boolean found) {
        try {
            state.write(done, uncertain, localKey, runId, found);
        } catch (IOException ex) {
            // Not UncheckedIOException: flush() dead-letters those, and a local disk failure is no
            // reason to give up on an entry.
            throw new IllegalStateException("cannot write outbox state in " + dir, ex);
        }
    }

    private void deadLetter(ObjectNode e, long seq, String reason, int status) {
        LOG.warn("tracking outbox: entry {} ({} on run {}) refused, moved to dead-letter: {}", seq, OutboxEntries.op(e),
                OutboxEntries.runRef(e), reason);
        deadLetters.record(e, seq, reason, status);
        markDone(seq);
    }
}
