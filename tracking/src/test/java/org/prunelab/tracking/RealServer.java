package org.prunelab.tracking;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.prunelab.tracking.mlflow.MlflowTracking;
import org.prunelab.tracking.mlflow.MlflowTrackingClient;
import org.prunelab.tracking.mlflow.TrackingOptions;

/** The real MLflow server the tests run against. No server, no green build: tests fail, never skip. */
public final class RealServer {
    private static volatile boolean healthy;

    private RealServer() { }

    public static String uri() {
        String uri = System.getenv("MLFLOW_TRACKING_URI");
        if (uri == null || uri.isBlank()) {
            fail("MLFLOW_TRACKING_URI is not set. These tests need a real MLflow server, e.g. start "
                    + ".venv-mlflow/bin/mlflow server --host 127.0.0.1 --port 5051 --workers 1 "
                    + "--backend-store-uri sqlite:////tmp/x/mlflow.db --artifacts-destination /tmp/x/artifacts "
                    + "and run with MLFLOW_TRACKING_URI=http://127.0.0.1:5051");
        }
        awaitHealthy(uri);
        return uri;
    }

    public static MlflowTrackingClient client() {
        return MlflowTracking.connect(uri(), TrackingOptions.defaults().withCallTimeout(Duration.ofSeconds(20)));
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void awaitHealthy(String uri) {
        if (healthy) {
            return;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String base = uri.replaceAll("/+$", "");
        try {
            await("MLflow server at " + base + " answers /health").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> http.send(HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            fail("MLflow server at " + base + " (MLFLOW_TRACKING_URI) does not answer GET /health within 60 s", e);
        }
        healthy = true;
    }
}
