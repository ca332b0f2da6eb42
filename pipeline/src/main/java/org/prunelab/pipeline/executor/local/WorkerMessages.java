package org.prunelab.pipeline.executor.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Map;
import org.prunelab.pipeline.store.Json;

/**
 * What the sweep process and its local workers say to each other: one JSON object per line. A
 * request goes to the worker's stdin; the worker's stdout carries its ordinary console lines, and a
 * reply is the one line that starts with {@link #REPLY_PREFIX}. The request carries the point's whole
 * resolved config, not a point index, so that a study's refinement rounds (configs made at run time,
 * not read from a file) run in workers like any sweep; the expected step identities guard against a
 * config that did not survive the trip.
 */
public final class WorkerMessages {
    /** Marks the reply line among the worker's console output. */
    public static final String REPLY_PREFIX = "@@prunelab-worker-reply ";

    private static final ObjectWriter ONE_LINE = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private WorkerMessages() {
    }

    /** The tracking run the point's pipeline runs nest under (the sweep's, or the study's it refines). */
    public record SweepRun(String id, String experiment, String description, Map<String, String> params) { }

    /** Run {@code steps} of the point whose resolved config is {@code config}; the rest must be finished. */
    public record ChainRequest(int chain, int point, String file, String source, Map<String, Object> config,
                               List<String> steps, List<String> expect, SweepRun sweep) { }

    /**
     * How a chain ended: {@code ok} when every step committed; {@code busy} when another process holds
     * one of its steps (left to it, as a sequential sweep does); else {@code error} says what failed.
     */
    public record ChainReply(int chain, boolean ok, boolean busy, String error) {
        static ChainReply done(int chain) {
            return new ChainReply(chain, true, false, null);
        }

        static ChainReply failed(int chain, String error) {
            return new ChainReply(chain, false, false, error);
        }

        static ChainReply busy(int chain, String why) {
            return new ChainReply(chain, false, true, why);
        }
    }

    public static String line(Object message) {
        try {
            return ONE_LINE.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message, e);
        }
    }

    public static <T> T parse(String line, Class<T> type) {
        try {
            return Json.MAPPER.readValue(line, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
