package org.prunelab.tracking.outbox;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run the outbox creates on the server when it can (see {@link TrackingOutbox#ensureRun}).
 *
 * @param localKey          the caller's name for the run, unique within one outbox directory
 * @param experimentName    the experiment, created if missing
 * @param runName           the run name (may be null)
 * @param tags              tags set at creation; must hold {@code idempotencyTagKey}
 * @param idempotencyTagKey the tag whose value identifies the run on the server: a run in the experiment
 *                          with this tag value is reused instead of creating another one
 * @param parentLocalKey    local key of the parent run (ensured earlier in the same outbox), or null
 */
public record RunSpec(String localKey, String experimentName, String runName, Map<String, String> tags,
                      String idempotencyTagKey, String parentLocalKey) {
    public RunSpec {
        if (localKey == null || localKey.isBlank()) {
            throw new IllegalArgumentException("localKey is empty");
        }
        if (experimentName == null || experimentName.isBlank()) {
            throw new IllegalArgumentException("experiment name of run '" + localKey + "' is empty");
        }
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags == null ? Map.of() : tags));
        String v = idempotencyTagKey == null ? null : tags.get(idempotencyTagKey);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("run '" + localKey + "': tags must hold a non-empty value for the idempotency tag '"
                    + idempotencyTagKey + "'");
        }
        if (parentLocalKey != null && parentLocalKey.equals(localKey)) {
            throw new IllegalArgumentException("run '" + localKey + "' cannot be its own parent");
        }
    }

    /** The value of the idempotency tag. */
    public String idempotencyValue() {
        return tags.get(idempotencyTagKey);
    }
}
