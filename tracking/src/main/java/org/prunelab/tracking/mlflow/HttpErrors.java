package org.prunelab.tracking.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.prunelab.tracking.TrackingException;

/**
 * One mapping from HTTP outcomes to {@link TrackingException}, shared by the raw REST path and the
 * guarded mlflow-client path so both classify failures the same way.
 */
final class HttpErrors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpErrors() { }

    /**
     * Retryable only where a later attempt can succeed without a change on our side: rate limiting
     * and gateway/unavailable answers. 500 is not retried: MLflow returns it for bugs and for
     * constraint violations that recur on every attempt.
     */
    static boolean retryableStatus(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    static TrackingException fromResponse(String operation, int status, String body) {
        return fromResponse(operation, status, body, null);
    }

    /**
     * @param location the Location header of a redirect, if known. Redirects are never followed:
     *                 following one to another host would hand it the tracking credentials.
     */
    static TrackingException fromResponse(String operation, int status, String body, String location) {
        if (status >= 300 && status < 400) {
            return new TrackingException(operation + " failed: the server answered HTTP " + status + " (a redirect"
                    + (location == null || location.isBlank() ? "" : " to " + MlflowTracking.redact(location))
                    + "); prunelab does not follow redirects, so that credentials never reach another address:"
                    + " set MLFLOW_TRACKING_URI to the server's final address", status, false, null);
        }
        String code = null;
        String message = null;
        if (body != null && !body.isBlank()) {
            try {
                JsonNode n = JSON.readTree(body);
                code = n.path("error_code").asText(null);
                message = n.path("message").asText(null);
            } catch (Exception notJson) {
                message = body.length() > 300 ? body.substring(0, 300) + "…" : body;
            }
        }
        StringBuilder m = new StringBuilder(operation).append(" failed: HTTP ").append(status);
        if (code != null) {
            m.append(' ').append(code);
        }
        if (message != null && !message.isBlank()) {
            m.append(": ").append(message.strip());
        }
        return new TrackingException(m.toString(), status, retryableStatus(status), null);
    }

    static TrackingException timeout(String operation, long millis, Throwable cause) {
        return new TrackingException(operation + " failed: no answer within " + millis + " ms (outcome unknown)", -1, true, cause);
    }

    static TrackingException io(String operation, Throwable cause) {
        return new TrackingException(operation + " failed: " + describe(cause), -1, true, cause);
    }

    /** Network failures in words, not Java class names ("ConnectException" tells a user nothing). */
    static String describe(Throwable cause) {
        String detail = cause.getMessage() == null || cause.getMessage().isBlank() ? "" : " (" + cause.getMessage() + ")";
        if (cause instanceof java.net.http.HttpConnectTimeoutException
                || cause instanceof org.mlflow_project.apachehttp.conn.ConnectTimeoutException) {
            return "could not connect in time: is the server up and reachable?" + detail;
        }
        if (cause instanceof java.net.ConnectException
                || cause instanceof org.mlflow_project.apachehttp.conn.HttpHostConnectException) {
            return "connection refused: is the MLflow server running at that address?" + detail;
        }
        if (cause instanceof java.net.UnknownHostException) {
            return "unknown host " + cause.getMessage() + ": check MLFLOW_TRACKING_URI";
        }
        if (cause instanceof javax.net.ssl.SSLException) {
            return "TLS handshake or certificate problem" + detail;
        }
        if (cause instanceof java.net.SocketTimeoutException) {
            return "the server stopped answering" + detail;
        }
        if (cause instanceof java.io.EOFException
                || cause instanceof org.mlflow_project.apachehttp.NoHttpResponseException) {
            return "the server closed the connection without an answer" + detail;
        }
        return "network error" + detail;
    }
}
