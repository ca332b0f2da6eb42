package org.prunelab.tracking;

import java.util.Map;

/** A run as the server reports it; {@code latestMetrics} holds the latest value per key. */
public record RunInfo(String runId, String experimentId, String runName, RunStatus status, String artifactUri,
                      long startTime, long endTime, Map<String, String> params, Map<String, String> tags,
                      Map<String, Double> latestMetrics) { }
