package org.prunelab.pipeline.track;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.prunelab.pipeline.store.Json;

/**
 * Replaces the provisional {@code local:...} run reference a manifest was committed with by the MLflow
 * run id, once the outbox has created the run. A step is committed the moment it finishes, which is
 * often before its run exists on the server (the outbox delivers in the background), so the real id
 * can only be written afterwards. Nothing else in the manifest changes, and its outputs' digests do
 * not cover the manifest itself.
 */
final class ManifestRunIds {
    static final String FIELD = "trackingRunId";

    private ManifestRunIds() {
    }

    /** True when the manifest held a provisional reference and now holds {@code runId}. */
    static boolean patch(Path manifestFile, String runId) throws IOException {
        JsonNode tree = Json.MAPPER.readTree(manifestFile.toFile());
        if (!(tree instanceof ObjectNode manifest)) {
            throw new IOException(manifestFile + ": not a JSON object");
        }
        String current = manifest.path(FIELD).asText("");
        if (!current.isEmpty() && !isProvisional(current)) {
            return false;
        }
        manifest.put(FIELD, runId);
        Json.writeAtomically(manifestFile, manifest);
        return true;
    }

    static boolean isProvisional(String runId) {
        return runId == null || runId.isEmpty() || runId.startsWith("local:");
    }
}
