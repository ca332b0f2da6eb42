package org.prunelab.tracking.mlflow;

import java.lang.reflect.Field;
import org.mlflow.tracking.MlflowClient;
import org.mlflow_project.apachehttp.Header;
import org.mlflow_project.apachehttp.HttpResponseInterceptor;
import org.mlflow_project.apachehttp.impl.client.HttpClientBuilder;

/**
 * Stops mlflow-client from following redirects. Its Apache HttpClient follows a 30x on GET and
 * copies every header of the original request, Authorization included, to the redirect target,
 * even on another host: a tracking server (or anything in front of it) answering with a redirect
 * would receive the token or password of a different origin. mlflow-client 2.17.2 offers no way to
 * configure its HTTP client, but creates one only when its {@code httpClient} field is still
 * empty; we fill that field first with a client that never redirects. A 3xx then surfaces as an
 * error naming the target (see {@link HttpErrors}).
 *
 * <p>Reflection on a pinned dependency: if a later mlflow-client renames the fields this fails
 * loudly when the client is created, rather than silently leaking credentials again.
 */
final class NoRedirects {
    private NoRedirects() {
    }

    /** A redirect answer, reported instead of followed. */
    static final class Refused extends java.io.IOException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String location;

        Refused(int status, String location) {
            super("redirect " + status);
            this.status = status;
            this.location = location;
        }
    }

    static void install(MlflowClient client) {
        try {
            Field callerField = MlflowClient.class.getDeclaredField("httpCaller");
            callerField.setAccessible(true);
            Object caller = callerField.get(client);
            Field httpField = caller.getClass().getDeclaredField("httpClient");
            httpField.setAccessible(true);
            httpField.set(caller, HttpClientBuilder.create().disableRedirectHandling()
                    .addInterceptorLast((HttpResponseInterceptor) (response, context) -> {
                        int status = response.getStatusLine().getStatusCode();
                        if (status >= 300 && status < 400) {
                            // mlflow-client would parse the empty body of a 3xx as an answer.
                            Header location = response.getFirstHeader("Location");
                            throw new Refused(status, location == null ? null : location.getValue());
                        }
                    }).build());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot switch off redirects in this mlflow-client version ("
                    + e.getMessage() + "); refusing to use it, as it would forward credentials on redirects", e);
        }
    }
}
