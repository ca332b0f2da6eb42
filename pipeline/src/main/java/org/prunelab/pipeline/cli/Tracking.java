package org.prunelab.pipeline.cli;

import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.prunelab.pipeline.track.MlflowPipelineTracking;
import org.prunelab.pipeline.track.PipelineTracking;
import org.prunelab.tracking.mlflow.MlflowTracking;

/** Chooses the tracker: --tracking-uri, else $MLFLOW_TRACKING_URI, else none (with a warning). */
final class Tracking {
    private Tracking() {
    }

    /** The tracking server to use, or null for none. */
    static String uri(CommandLine line) {
        if (line.hasOption("no-tracking")) {
            return null;
        }
        String uri = line.hasOption("tracking-uri") ? line.getOptionValue("tracking-uri")
                : System.getenv("MLFLOW_TRACKING_URI");
        return uri == null || uri.isBlank() ? null : uri;
    }

    /** @param out where tracking reports what it did (the run's URL at the end), err for warnings */
    static PipelineTracking open(CommandLine line, java.nio.file.Path runsDir, PrintStream out, PrintStream err) {
        if (line.hasOption("no-tracking")) {
            return PipelineTracking.disabled();
        }
        String uri = uri(line);
        if (uri == null) {
            err.println("prunelab: MLFLOW_TRACKING_URI is not set: results stay in the runs directory only"
                    + " ('make run' starts a local MLflow server and sets it)");
            return PipelineTracking.disabled();
        }
        return new MlflowPipelineTracking(connect(uri, line.hasOption("tracking-uri")), runsDir.resolve("outbox"),
                out);
    }

    /** A malformed URI is a usage error (exit 2) that says where it came from. */
    static org.prunelab.tracking.TrackingClient connect(String uri, boolean fromOption) {
        try {
            return MlflowTracking.connect(uri);
        } catch (IllegalArgumentException e) {
            throw new org.prunelab.stages.config.ConfigException((fromOption ? "--tracking-uri" : "MLFLOW_TRACKING_URI")
                    + ": " + e.getMessage());
        }
    }
}
