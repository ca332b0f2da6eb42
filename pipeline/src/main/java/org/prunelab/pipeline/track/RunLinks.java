package org.prunelab.pipeline.track;

/** Addresses of runs in the MLflow UI (a single-page app: the route follows the '#'). */
public final class RunLinks {
    private RunLinks() {
    }

    public static String run(String trackingUri, String experimentId, String runId) {
        return base(trackingUri) + "/#/experiments/" + experimentId + "/runs/" + runId;
    }

    public static String experiment(String trackingUri, String experimentId) {
        return base(trackingUri) + "/#/experiments/" + experimentId;
    }

    private static String base(String uri) {
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }
}
