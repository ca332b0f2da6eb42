package org.prunelab.stages.io;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON form of every file a stage writes: keys sorted at every level (map entries and object
 * properties alike), indented. Identical content then gives identical bytes, whatever map type
 * built it: {@code Map.of} iterates in an order that changes from one JVM start to the next, which
 * made {@code evaluation.json} differ between identical runs.
 */
public final class CanonicalJson {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** Indented, sorted: use for every JSON file written to a step's outputs. */
    public static final ObjectWriter PRETTY = MAPPER.writer();

    private CanonicalJson() {
    }
}
