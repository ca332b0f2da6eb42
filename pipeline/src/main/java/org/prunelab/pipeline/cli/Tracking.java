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

    /** @param out where tracking reports what it did (the run's URL at the end), err for warnings */
    static PipelineTracking open(CommandLine line, java.nio.file.Path runsDir, PrintStream out, PrintStream err) {
        if (line.hasOption("no-tracking")) {
            return PipelineTracking.disabled();
        }
        String uri = line.hasOption("tracking-uri") ? line.getOptionValue("tracking-uri")
                : System.getenv("MLFLOW_TRACKING_URI");
        if (uri == null || uri.isBlank()) {
            err.println("prunelab: MLFLOW_TRACKING_URI is not set: results stay in the runs directory only"
                    + " ('make run' starts a local MLflow server and sets it)");
            return PipelineTracking.disabled();
        }
        return new MlflowPipelineTracking(MlflowTracking.connect(uri), runsDir.resolve("outbox"), out);
    }
}
