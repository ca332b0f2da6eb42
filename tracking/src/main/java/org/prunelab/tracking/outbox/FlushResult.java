package org.prunelab.tracking.outbox;

import org.prunelab.tracking.TrackingException;

/**
 * What one {@link TrackingOutbox#flush()} did. {@code lastError} is the retryable failure that stopped
 * it (null when everything pending was delivered or dead-lettered).
 */
public record FlushResult(int delivered, int deadLettered, int skippedDuplicatePoints, int pending, TrackingException lastError) {
    public boolean complete() {
        return pending == 0;
    }
}
