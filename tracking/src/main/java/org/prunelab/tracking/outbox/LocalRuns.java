package org.prunelab.tracking.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Runs known by a local key before the server has them: the {@code local:<key>} references, the
 * create-run entry journaled for each key, and their resolution to server run ids (kept in
 * {@link DeliveryState#runs()}). Not thread-safe: the outbox calls the mutators under its journal lock.
 */
final class LocalRuns {
    private static final String PREFIX = "local:";

    private final DeliveryState state;
    /** Local key to the latest create-run entry journaled for it. */
    private final Map<String, JsonNode> creates = new HashMap<>();
    /** Run identity (experiment, idempotency tag, value) to the local key that stands for it. */
    private final Map<String, String> owners = new HashMap<>();

    LocalRuns(DeliveryState state) {
        this.state = state;
    }

    static String ref(String localKey) {
        return PREFIX + localKey;
    }

    static boolean isLocal(String ref) {
        return ref.startsWith(PREFIX);
    }

    /** Remembers a create-run entry (journaled now, or replayed from the journal at open). */
    void record(JsonNode createEntry) {
        String key = createEntry.path("localKey").asText();
        creates.put(key, createEntry);
        owners.put(OutboxEntries.runIdentity(createEntry), key);
    }

    /** Whether the key's run was ensured in this outbox: its create entry is journaled, or its run id is recorded. */
    boolean knows(String localKey) {
        return creates.containsKey(localKey) || state.runs().containsKey(localKey);
    }

    /** Refuses a run reference that is empty, or local without an earlier {@code ensureRun}. */
    void checkUsable(String ref) {
        if (ref == null || ref.isBlank()) {
            throw new IllegalArgumentException("runId is empty");
        }
        if (isLocal(ref) && !knows(ref.substring(PREFIX.length()))) {
            throw new IllegalArgumentException("unknown run reference '" + ref + "': call ensureRun first");
        }
    }

    /**
     * Whether a create-run entry must be journaled for this spec: yes for a new key, or when the
     * earlier creation was dead-lettered (the server refused it); no when it was journaled before.
     * A spec that contradicts an earlier one (another experiment, idempotency value or parent, or
     * a second local key for the same server run) is refused.
     */
    boolean needsCreation(RunSpec spec, ObjectNode entry, LongPredicate deadLettered) {
        if (spec.parentLocalKey() != null && !knows(spec.parentLocalKey())) {
            throw new IllegalArgumentException("run '" + spec.localKey() + "': parent '" + spec.parentLocalKey()
                    + "' was not ensured in this outbox first");
        }
        String identity = OutboxEntries.runIdentity(entry);
        String owner = owners.get(identity);
        if (owner != null && !owner.equals(spec.localKey())) {
            throw new IllegalArgumentException("run '" + spec.localKey() + "': local key '" + owner
                    + "' already stands for the run with " + spec.idempotencyTagKey() + " = '" + spec.idempotencyValue() + "'");
        }
        JsonNode earlier = creates.get(spec.localKey());
        if (earlier == null) {
            return true;
        }
        String parent = spec.parentLocalKey() == null ? "" : spec.parentLocalKey();
        if (!identity.equals(OutboxEntries.runIdentity(earlier)) || !earlier.path("parentLocalKey").asText("").equals(parent)) {
            throw new IllegalArgumentException("run '" + spec.localKey() + "' was ensured before with another experiment, "
                    + "idempotency value or parent: " + earlier);
        }
        return deadLettered.test(OutboxEntries.seq(earlier)) && !state.runs().containsKey(spec.localKey());
    }

    /** The name under which metric points of a run reference are deduplicated. */
    String canonical(String ref) {
        if (isLocal(ref)) {
            String id = state.runs().get(ref.substring(PREFIX.length()));
            return id != null ? id : ref;
        }
        return ref;
    }

    /** The server run id for a reference; a local one must have been resolved by an earlier entry. */
    String resolve(String ref) {
        if (!isLocal(ref)) {
            return ref;
        }
        String id = state.runs().get(ref.substring(PREFIX.length()));
        if (id == null && !creates.containsKey(ref.substring(PREFIX.length()))) {
            throw new IllegalArgumentException("run " + ref + " was never created on the server: its create-run entry was lost"
                    + " with a damaged line of the outbox journal (see the warning naming journal.jsonl.damaged-*)");
        }
        if (id == null) {
            // Delivery is in journal order and the create entry comes first, so it was refused.
            throw new IllegalArgumentException("run " + ref + " was never created on the server (its create-run entry was "
                    + "dead-lettered)");
        }
        return id;
    }
}
