package org.prunelab.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.tracking.mlflow.MlflowTracking;
import org.prunelab.tracking.mlflow.TrackingOptions;

/**
 * Issue 15, finding 8: the tracking token (and the basic-auth header) was sent again when the
 * server redirected to another host. Two servers on 127.0.0.1, two ports (two origins): the first
 * redirects every request to the second, which records what arrives. Every kind of call, over both
 * HTTP paths (raw REST and mlflow-client), must fail with a message naming the redirect, and no
 * credential may ever reach the second origin.
 */
class RedirectCredentialsTest {
    private HttpServer redirecting;
    private HttpServer other;
    private final List<String> arrivedAtOther = new CopyOnWriteArrayList<>();
    private final List<String> credentialsAtOther = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    @BeforeEach
    void startServers() throws Exception {
        other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/", exchange -> {
            arrivedAtOther.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                credentialsAtOther.add(exchange.getRequestURI() + " -> " + auth);
            }
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        other.start();
        String target = "http://127.0.0.1:" + other.getAddress().getPort();
        redirecting = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        redirecting.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            // 303 makes clients re-issue even a POST (as a GET) at the new address; 302 for the rest.
            int status = exchange.getRequestMethod().equals("GET") ? 302 : 303;
            exchange.getResponseHeaders().add("Location", target + exchange.getRequestURI());
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        redirecting.start();
    }

    @AfterEach
    void stopServers() {
        redirecting.stop(0);
        other.stop(0);
    }

    private TrackingClient client(TrackingOptions.Credentials credentials) {
        return MlflowTracking.connect("http://127.0.0.1:" + redirecting.getAddress().getPort(),
                TrackingOptions.defaults().withCallTimeout(Duration.ofSeconds(5)).withCredentials(credentials));
    }

    private static void refusedAsRedirect(String what, Executable call) {
        TrackingException e = assertThrows(TrackingException.class, call, what);
        assertTrue(e.getMessage().contains("redirect") && e.getMessage().contains("MLFLOW_TRACKING_URI"),
                what + ": " + e.getMessage());
    }

    private void everyCallRefused(TrackingClient c) throws Exception {
        Path file = Files.writeString(dir.resolve("a.txt"), "x");
        refusedAsRedirect("server version (REST GET)", c::serverVersion);
        refusedAsRedirect("find experiment (mlflow-client GET)", () -> c.findExperiment("e"));
        refusedAsRedirect("get run (mlflow-client GET)", () -> c.getRun("0123456789abcdef0123456789abcdef"));
        refusedAsRedirect("search runs (mlflow-client POST)", () -> c.searchRuns(List.of("1"), ""));
        refusedAsRedirect("log params (mlflow-client POST)",
                () -> c.logParams("0123456789abcdef0123456789abcdef", Map.of("a", "1")));
        refusedAsRedirect("create run (REST POST)", () -> c.createRun("1", "r", Map.of()));
        refusedAsRedirect("log metrics (REST POST)", () -> c.logMetrics("0123456789abcdef0123456789abcdef",
                List.of(new MetricPoint("loss", 1.0, 1000L, 1))));
        refusedAsRedirect("metric history (REST GET)", () -> c.metricHistory("0123456789abcdef0123456789abcdef", "loss"));
        refusedAsRedirect("upload artifact (REST PUT)",
                () -> c.uploadArtifact("0123456789abcdef0123456789abcdef", file, ""));
    }

    @Test
    void bearerTokenNeverReachesAnotherOrigin() throws Exception {
        try (TrackingClient c = client(TrackingOptions.Credentials.bearer("s3cret-token"))) {
            everyCallRefused(c);
        }
        assertEquals(List.of(), credentialsAtOther, "credentials forwarded across origins");
        assertEquals(List.of(), arrivedAtOther, "no request should follow a redirect at all");
    }

    @Test
    void basicAuthNeverReachesAnotherOrigin() throws Exception {
        try (TrackingClient c = client(TrackingOptions.Credentials.basic("user", "pa55word"))) {
            everyCallRefused(c);
        }
        assertEquals(List.of(), credentialsAtOther, "credentials forwarded across origins");
        assertEquals(List.of(), arrivedAtOther, "no request should follow a redirect at all");
    }
}
