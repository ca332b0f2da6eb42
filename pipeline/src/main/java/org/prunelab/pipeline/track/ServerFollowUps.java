package org.prunelab.pipeline.track;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.prunelab.tracking.TrackingClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls that need a run's server id, made directly (not through the outbox) once the outbox has
 * created that run: dataset inputs, the experiment's view tag, the real run id in a manifest, links
 * from a pipeline to shared steps computed elsewhere. Every one of them is idempotent, so a call
 * that is repeated or made late does no harm, and each is best effort: the pipeline never waits for
 * them (a single background thread runs them) and a failure only loses a convenience, never a
 * result. Whatever is still waiting at {@link #close} gets one last attempt within a time limit.
 */
final class ServerFollowUps {
    private static final Logger LOG = LoggerFactory.getLogger(ServerFollowUps.class);

    /** A call waiting for the run id of {@code localKey}. */
    private record Pending(String localKey, String what, Consumer<String> call) { }

    private final TrackingClient client;
    private final Function<String, Optional<String>> resolver;
    private final List<Pending> pending = new ArrayList<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "prunelab-tracking-followups");
        t.setDaemon(true);
        return t;
    });
    private int failures;

    /** @param resolver local run key to server run id, once the run exists there */
    ServerFollowUps(TrackingClient client, Function<String, Optional<String>> resolver) {
        this.client = client;
        this.resolver = resolver;
    }

    TrackingClient client() {
        return client;
    }

    /** Queues {@code call(runId)} for when the run of {@code localKey} exists on the server. */
    synchronized void whenCreated(String localKey, String what, Consumer<String> call) {
        pending.add(new Pending(localKey, what, call));
    }

    /** A call that needs no run, e.g. tagging an experiment; run in the background now. */
    void now(String what, Runnable call) {
        whenCreated(null, what, id -> call.run());
        poke();
    }

    /** Runs, in the background, what can run now. */
    void poke() {
        if (!worker.isShutdown()) {
            worker.execute(() -> drain(false));
        }
    }

    /** Last attempt at everything still pending; returns how many could not be made. */
    int close(Duration limit) {
        worker.execute(() -> drain(true));
        worker.shutdown();
        try {
            if (!worker.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            return failures + pending.size();
        }
    }

    private void drain(boolean last) {
        List<Pending> ready = new ArrayList<>();
        synchronized (this) {
            for (Pending p : List.copyOf(pending)) {
                if (p.localKey() == null || resolver.apply(p.localKey()).isPresent()) {
                    ready.add(p);
                    pending.remove(p);
                }
            }
        }
        for (Pending p : ready) {
            try {
                p.call().accept(p.localKey() == null ? null : resolver.apply(p.localKey()).orElseThrow());
            } catch (RuntimeException e) {
                LOG.debug("tracking follow-up '{}' failed: {}", p.what(), e.toString());
                synchronized (this) {
                    if (last) {
                        failures++;
                    } else {
                        pending.add(p); // try again at the next poke or at close
                    }
                }
            }
        }
    }
}
