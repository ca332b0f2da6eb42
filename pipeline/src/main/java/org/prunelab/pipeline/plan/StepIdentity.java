package org.prunelab.pipeline.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import org.prunelab.io.Digests;

/**
 * What determines a step's output, and its digest. Two steps with equal identity produce the same
 * output, so one can stand in for the other: that is what lets a sweep share its dense training.
 */
public record StepIdentity(String kind, int codeVersion, String codeDigest, SortedMap<String, Object> config,
                           SortedMap<String, String> upstream, SortedMap<String, String> externalInputs) {
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /** The full SHA-256 over a canonical JSON form of the ingredients. */
    public String hash() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("codeVersion", codeVersion);
        m.put("code", codeDigest);
        m.put("config", config);
        m.put("upstream", upstream);
        m.put("inputs", externalInputs);
        try {
            return Digests.sha256(CANONICAL.writeValueAsString(m));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("config values must be plain values", e);
        }
    }

    /** The short form used in directory names and tags (64 bits: collisions are not a practical concern). */
    public String shortHash() {
        return hash().substring(0, 16);
    }
}
