package org.prunelab.pipeline.track;

/**
 * Addresses of runs in the MLflow UI (a single-page app: the route follows the '#'). MLflow 3.17 opens
 * a direct link in its GenAI layout unless the link names the workflow, whatever the experiment's kind
 * tag says (the tag only steers the redirect from the bare experiment page), so every link names it.
 */
public final class RunLinks {
    static final String MODEL_TRAINING_VIEW = "?workflowType=machine_learning";

    private RunLinks() {
    }

    public static String run(String trackingUri, String experimentId, String runId) {
        return base(trackingUri) + "/#/experiments/" + experimentId + "/runs/" + runId + MODEL_TRAINING_VIEW;
    }

    public static String experiment(String trackingUri, String experimentId) {
        return base(trackingUri) + "/#/experiments/" + experimentId + MODEL_TRAINING_VIEW;
    }

    private static String base(String uri) {
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }
}
