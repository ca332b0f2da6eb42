package org.prunelab.tracking.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.prunelab.tracking.MetricPoint;
import org.prunelab.tracking.RunStatus;

/**
 * The JSON form of journal entries, in one place. Every entry has {@code seq}, {@code op},
 * {@code runId} (a server run id or a {@code local:} reference) and {@code enqueuedAt}; the rest
 * depends on the operation. Journals outlive processes and releases, so field names never change.
 */
final class OutboxEntries {
    static final String CREATE_RUN = "createRun";
    static final String PARAMS = "params";
    static final String TAGS = "tags";
    static final String METRICS = "metrics";
    static final String STATUS = "status";
    static final String ARTIFACT = "artifact";
    static final String ARTIFACTS = "artifacts";
    /**
     * A placeholder for an entry lost with a damaged journal line (see {@link JournalScan}): it keeps
     * every later entry at its sequence number, and delivery skips it.
     */
    static final String LOST = "lost";
    /** Every operation a journal line may hold; a line with another is damaged. */
    static final Set<String> OPS = Set.of(CREATE_RUN, PARAMS, TAGS, METRICS, STATUS, ARTIFACT, ARTIFACTS,
            LOST);

    private OutboxEntries() {
    }

    /** A new entry without its sequence number (set when it is appended). */
    static ObjectNode create(String op, String runRef) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("seq", -1L);
        e.put("op", op);
        e.put("runId", runRef);
        e.put("enqueuedAt", System.currentTimeMillis());
        return e;
    }

    static ObjectNode createRun(RunSpec spec, String runRef) {
        ObjectNode e = create(CREATE_RUN, runRef);
        e.put("localKey", spec.localKey());
        e.put("experiment", spec.experimentName());
        if (spec.runName() != null) {
            e.put("runName", spec.runName());
        }
        putStrings(e, "tags", spec.tags());
        e.put("idempotencyTagKey", spec.idempotencyTagKey());
        if (spec.parentLocalKey() != null) {
            e.put("parentLocalKey", spec.parentLocalKey());
        }
        return e;
    }

    static ObjectNode strings(String op, String runRef, Map<String, String> values) {
        ObjectNode e = create(op, runRef);
        putStrings(e, op, values);
        return e;
    }

    static ObjectNode metrics(String runRef, List<MetricPoint> points) {
        ObjectNode e = create(METRICS, runRef);
        ArrayNode arr = e.putArray("points");
        for (MetricPoint p : points) {
            ObjectNode o = arr.addObject();
            o.put("key", p.key());
            putDouble(o, p.value());
            o.put("timestamp", p.timestampMillis());
            o.put("step", p.step());
        }
        return e;
    }

    /** The end time of a terminal status is taken now and journaled, so a replay sends the same value. */
    static ObjectNode status(String runRef, RunStatus status) {
        ObjectNode e = create(STATUS, runRef);
        e.put("status", status.name());
        e.put("endTime", System.currentTimeMillis());
        return e;
    }

    static ObjectNode artifact(String runRef, String artifactDir, String fileName) {
        ObjectNode e = create(ARTIFACT, runRef);
        e.put("dir", artifactDir == null ? "" : artifactDir);
        e.put("file", fileName);
        return e;
    }

    static ObjectNode artifacts(String runRef, String artifactDir) {
        ObjectNode e = create(ARTIFACTS, runRef);
        e.put("dir", artifactDir == null ? "" : artifactDir);
        return e;
    }

    /** The placeholder of entry {@code seq}, which was lost ({@code why}: how, and where the damaged copy is). */
    static ObjectNode lost(long seq, String why) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("seq", seq);
        e.put("op", LOST);
        e.put("runId", "");
        e.put("lost", why);
        return e;
    }

    static long seq(JsonNode e) {
        return e.get("seq").asLong();
    }

    /** When the entry was journaled (ms since the epoch): a created run's start time. */
    static long enqueuedAt(JsonNode e) {
        return e.path("enqueuedAt").asLong(System.currentTimeMillis());
    }

    static String op(JsonNode e) {
        return e.path("op").asText();
    }

    static String runRef(JsonNode e) {
        return e.path("runId").asText();
    }

    static Map<String, String> toMap(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().asText()));
        return m;
    }

    static List<MetricPoint> points(JsonNode metricsEntry) {
        List<MetricPoint> points = new ArrayList<>();
        for (JsonNode p : metricsEntry.path("points")) {
            points.add(new MetricPoint(p.path("key").asText(), readDouble(p.get("value")), p.path("timestamp").asLong(),
                    p.path("step").asLong()));
        }
        return points;
    }

    /**
     * What makes a create-run entry's server run unique: experiment, idempotency tag and its value.
     * Two local keys may not stand for one server run.
     */
    static String runIdentity(JsonNode createEntry) {
        String tagKey = createEntry.path("idempotencyTagKey").asText();
        return createEntry.path("experiment").asText() + '\u0000' + tagKey + '\u0000'
                + createEntry.path("tags").path(tagKey).asText();
    }

    private static void putStrings(ObjectNode e, String field, Map<String, String> values) {
        ObjectNode o = e.putObject(field);
        new LinkedHashMap<>(values).forEach(o::put);
    }

    /** JSON has no NaN or infinities: they are journaled as the strings Java prints for them. */
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
}
