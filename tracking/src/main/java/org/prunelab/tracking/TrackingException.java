package org.prunelab.tracking;

/**
 * A tracking call failed. {@code retryable} is true for failures where trying later can succeed
 * (connection refused, time-out, 429, 503) and false where it cannot (400, 404, bad config).
 */
public class TrackingException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int httpStatus;
    private final boolean retryable;

    public TrackingException(String message, int httpStatus, boolean retryable, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.retryable = retryable;
    }

    /** HTTP status, or -1 when no response arrived. */
    public int httpStatus() {
        return httpStatus;
    }

    public boolean retryable() {
        return retryable;
    }
}
