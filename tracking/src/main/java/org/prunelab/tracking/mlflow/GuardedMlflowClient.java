package org.prunelab.tracking.mlflow;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import org.prunelab.tracking.TrackingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs mlflow-client 2.17.2 calls under a hard time limit. The client builds its Apache HttpClient
 * with no connect or read timeout, so a server that accepts and never answers blocks its thread
 * forever; worse, the client's pool holds two connections per route, so two such calls wedge every
 * later call. Hence: each call runs on a daemon thread and the caller waits at most the call limit;
 * on a time-out the whole MlflowClient is closed (closing its connection manager closes the stuck
 * sockets, which frees the thread) and replaced by a fresh one.
 *
 * <p>Exceptions are mapped to {@link TrackingException}. The client's own blind retries (3 attempts
 * on any 4xx/5xx, no pause) stay in place; that is why only idempotent operations are routed here.
 */
final class GuardedMlflowClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedMlflowClient.class);

    private final String uri;
    private final TrackingOptions.Credentials credentials;
    private final Duration limit;
    private final ExecutorService executor = DaemonThreads.cachedPool("prunelab-mlflow-client");
    private final AtomicReference<MlflowClient> client = new AtomicReference<>();

    GuardedMlflowClient(String uri, TrackingOptions options) {
        this.uri = uri;
        this.credentials = options.credentials();
        this.limit = options.callTimeout();
        client.set(newClient());
    }

    private MlflowClient newClient() {
        BasicMlflowHostCreds creds;
        if (credentials.token() != null) {
            creds = new BasicMlflowHostCreds(uri, credentials.token());
        } else if (credentials.username() != null) {
            creds = new BasicMlflowHostCreds(uri, credentials.username(), credentials.password());
        } else {
            creds = new BasicMlflowHostCreds(uri);
        }
        MlflowClient fresh = new MlflowClient(creds);
        NoRedirects.install(fresh);
        return fresh;
    }

    <T> T call(String operation, Function<MlflowClient, T> body) {
        MlflowClient c = client.get();
        Future<T> f = executor.submit(() -> body.apply(c));
        try {
            return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            replace(c);
            throw HttpErrors.timeout(operation, limit.toMillis(), e);
        } catch (InterruptedException e) {
            f.cancel(true);
            replace(c);
            Thread.currentThread().interrupt();
            throw new TrackingException(operation + " interrupted", -1, true, e);
        } catch (ExecutionException e) {
            throw map(operation, e.getCause());
        }
    }

    /** Closes a client whose call is stuck so its sockets (and thread) are released. */
    private void replace(MlflowClient stuck) {
        if (client.compareAndSet(stuck, newClient())) {
            LOG.warn("MLflow call timed out; replacing the mlflow-client instance to release its stuck connections");
            try {
                stuck.close();
            } catch (RuntimeException ignored) {
                // best effort: the old client is abandoned either way
            }
        }
    }

    static TrackingException map(String operation, Throwable t) {
        if (t instanceof TrackingException te) {
            return te;
        }
        if (t instanceof MlflowHttpException h) {
            return HttpErrors.fromResponse(operation, h.getStatusCode(), h.getBodyMessage());
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof NoRedirects.Refused r) {
                return HttpErrors.fromResponse(operation, r.status, null, r.location);
            }
        }
        if (t instanceof MlflowClientException && t.getCause() instanceof IOException io) {
            return HttpErrors.io(operation, io);
        }
        if (t instanceof IllegalArgumentException iae) {
            throw iae;
        }
        return new TrackingException(operation + " failed: " + (t.getMessage() == null || t.getMessage().isBlank()
                ? "unexpected error in mlflow-client (set PRUNELAB_DEBUG=1 for details)" : t.getMessage()), -1, false, t);
    }

    @Override
    public void close() {
        MlflowClient c = client.getAndSet(null);
        if (c != null) {
            c.close();
        }
        executor.shutdownNow();
    }
}
