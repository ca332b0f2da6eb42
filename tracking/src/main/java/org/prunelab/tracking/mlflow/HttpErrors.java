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
        return new TrackingException(operation + " failed: " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), -1, true, cause);
    }
}
