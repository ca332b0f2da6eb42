package org.prunelab.pipeline.store;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The record a committed step leaves beside its outputs: what went in (identity ingredients), what
 * came out (digest of every file), when, where it was tracked, and the environment it ran in
 * (JVM, OS, CPU, library versions; see {@code provenance/Environment}). Plain JSON, diffable,
 * readable without prunelab.
 */
public record StepManifest(
        String format,
        String step,
        String kind,
        String identity,
        int codeVersion,
        String codeDigest,
        SortedMap<String, String> codeClasses,
        SortedMap<String, Object> config,
        SortedMap<String, Object> params,
        SortedMap<String, String> upstream,
        SortedMap<String, String> externalInputs,
        SortedMap<String, OutputFile> outputs,
        List<String> artifacts,
        String startedAt,
        String finishedAt,
        double seconds,
        int attempts,
        String trackingRunId,
        Map<String, Double> finalMetrics,
        SortedMap<String, Object> environment) {

    public static final String FORMAT = "prunelab-step/1";
    public static final String FILE = "manifest.json";

    public record OutputFile(String sha256, long bytes) { }
}
