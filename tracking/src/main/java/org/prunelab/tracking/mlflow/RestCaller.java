package org.prunelab.tracking.mlflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.prunelab.tracking.TrackingException;

/**
 * Raw HTTP to the tracking server with {@link HttpClient}: HTTP/1.1, a connect timeout and a hard
 * per-call limit, one attempt only. Retrying is the caller's decision because only the caller knows
 * whether an operation is idempotent (metric writes are not).
 *
 * <p>Redirects are never followed (the JDK client would resend the Authorization header to
 * whatever host a redirect names); a 3xx answer is an error that names the target.
 *
 * <p>The limit is enforced on the whole exchange (headers and body) with {@code sendAsync().get()},
 * because {@link HttpRequest.Builder#timeout} alone stops waiting once headers have arrived.
 */
final class RestCaller {
    /** Uploads get the call limit plus this many milliseconds per MiB, so a large checkpoint is not cut off. */
    private static final long UPLOAD_MILLIS_PER_MIB = 1000;

    private final String baseUri;
    private final Duration callTimeout;
    private final String authorization;
    private final HttpClient http;

    RestCaller(String baseUri, TrackingOptions options) {
        this.baseUri = baseUri;
        this.callTimeout = options.callTimeout();
        this.authorization = options.credentials().authorizationHeader();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(DaemonThreads.cachedPool("prunelab-mlflow-http"))
                .build();
    }

    /** GET {base}{pathAndQuery}; returns the body as text; non-2xx throws. */
    String getText(String operation, String pathAndQuery) {
        return new String(send(operation, request(pathAndQuery, callTimeout).GET().build(), callTimeout), StandardCharsets.UTF_8);
    }

    byte[] getBytes(String operation, String pathAndQuery) {
        return send(operation, request(pathAndQuery, callTimeout).GET().build(), callTimeout);
    }

    String postJson(String operation, String path, String json) {
        HttpRequest req = request(path, callTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        return new String(send(operation, req, callTimeout), StandardCharsets.UTF_8);
    }

    /** PUT a file's bytes, streamed from disk. */
    void putFile(String operation, String path, Path file) {
        long size;
        HttpRequest.BodyPublisher body;
        try {
            size = Files.size(file);
            body = HttpRequest.BodyPublishers.ofFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Duration limit = callTimeout.plusMillis(UPLOAD_MILLIS_PER_MIB * (size >> 20));
        HttpRequest req = request(path, limit)
                .header("Content-Type", "application/octet-stream")
                .PUT(body)
                .build();
        send(operation, req, limit);
    }

    private HttpRequest.Builder request(String pathAndQuery, Duration limit) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUri + pathAndQuery)).timeout(limit)
                .header("User-Agent", "prunelab-tracking");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private byte[] send(String operation, HttpRequest request, Duration limit) {
        CompletableFuture<HttpResponse<byte[]>> f = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            response = f.get(limit.toMillis() + 250, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw HttpErrors.timeout(operation, limit.toMillis(), e);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new TrackingException(operation + " interrupted", -1, true, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof java.net.http.HttpTimeoutException) {
                throw HttpErrors.timeout(operation, limit.toMillis(), cause);
            }
            if (cause instanceof IOException) {
                throw HttpErrors.io(operation, cause);
            }
            throw new TrackingException(operation + " failed: " + (cause.getMessage() == null ? "unexpected error" : cause.getMessage()), -1, false, cause);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw HttpErrors.fromResponse(operation, status, new String(response.body(), StandardCharsets.UTF_8),
                    response.headers().firstValue("Location").orElse(null));
        }
        return response.body();
    }
}
