package org.prunelab.tracking.outbox;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.prunelab.tracking.TrackingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When flushes happen: on a daemon thread every interval while entries are pending, backing off
 * exponentially (up to 2 min) after retryable failures so that a dead server is not hammered; and
 * once more at close, on its own thread, bounded by a time limit so that closing never hangs.
 */
final class FlushScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(FlushScheduler.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(2);

    private final Function<BooleanSupplier, FlushResult> flush;
    private final IntSupplier pending;
    private ScheduledExecutorService executor;
    private volatile long nextAttemptMillis;
    private volatile boolean stopping;
    private int consecutiveFailures;

    /** @param flush a flush that checks its argument before each entry and stops when it says false */
    FlushScheduler(Function<BooleanSupplier, FlushResult> flush, IntSupplier pending) {
        this.flush = flush;
        this.pending = pending;
    }

    synchronized void start(Duration interval) {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "prunelab-tracking-outbox");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                if (System.currentTimeMillis() >= nextAttemptMillis && pending.getAsInt() > 0) {
                    recordOutcome(flush.apply(() -> !stopping));
                }
            } catch (RuntimeException ex) {
                LOG.error("tracking outbox: background flush failed", ex);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every flush, background or not, moves the backoff: a failure doubles it, an empty queue resets it. */
    synchronized void recordOutcome(FlushResult result) {
        if (result.lastError() != null) {
            consecutiveFailures++;
            long backoff = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(consecutiveFailures, 16));
            nextAttemptMillis = System.currentTimeMillis() + backoff;
            LOG.info("tracking outbox: next try in {} ms", backoff);
        } else if (result.complete()) {
            consecutiveFailures = 0;
        }
    }

    /** Stops the background thread, then flushes once more, waiting at most {@code limit}. */
    FlushResult stopAndFlush(Duration limit, String where) {
        synchronized (this) {
            if (executor != null) {
                // Not shutdownNow: an interrupt closes a FileChannel mid-write (ClosedByInterruptException),
                // so a background flush would deliver an entry and fail to record it. The running
                // flush stops after its current entry instead; the one below takes over from there.
                stopping = true;
                executor.shutdown();
                executor = null;
            }
        }
        CompletableFuture<FlushResult> f = CompletableFuture.supplyAsync(() -> flush.apply(() -> true), r -> {
            Thread t = new Thread(r, "prunelab-tracking-outbox-close");
            t.setDaemon(true);
            t.start();
        });
        try {
            return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException ex) {
            return new FlushResult(0, 0, 0, pending.getAsInt(), new TrackingException("outbox close: flush did not finish within "
                    + limit.toMillis() + " ms; " + pending.getAsInt() + " entries stay in " + where, -1, true, ex));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return new FlushResult(0, 0, 0, pending.getAsInt(), null);
        } catch (ExecutionException ex) {
            return new FlushResult(0, 0, 0, pending.getAsInt(), new TrackingException("outbox close: " + ex.getCause(), -1, true, ex));
        }
    }
}
