package org.prunelab.tracking.mlflow;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link MlflowTrackingClient} talks to the server: a hard limit per call, a connect limit,
 * and credentials. Defaults: 30 s per call, 5 s to connect, credentials from the environment.
 */
public record TrackingOptions(Duration callTimeout, Duration connectTimeout, Credentials credentials) {

    public TrackingOptions {
        Objects.requireNonNull(callTimeout, "callTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(credentials, "credentials");
        if (callTimeout.isNegative() || callTimeout.isZero() || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** 30 s per call, 5 s connect, credentials from MLFLOW_TRACKING_TOKEN / _USERNAME / _PASSWORD. */
    public static TrackingOptions defaults() {
        return new TrackingOptions(Duration.ofSeconds(30), Duration.ofSeconds(5), Credentials.fromEnvironment(System.getenv()));
    }

    public TrackingOptions withCallTimeout(Duration timeout) {
        return new TrackingOptions(timeout, connectTimeout, credentials);
    }

    public TrackingOptions withConnectTimeout(Duration timeout) {
        return new TrackingOptions(callTimeout, timeout, credentials);
    }

    public TrackingOptions withCredentials(Credentials c) {
        return new TrackingOptions(callTimeout, connectTimeout, c);
    }

    /**
     * Bearer token or Basic user/password. {@link #toString()} never shows the secret, so an
     * options object can be logged safely.
     */
    public static final class Credentials {
        private static final Credentials NONE = new Credentials(null, null, null);
        private final String token;
        private final String username;
        private final String password;

        private Credentials(String token, String username, String password) {
            this.token = token;
            this.username = username;
            this.password = password;
        }

        public static Credentials none() {
            return NONE;
        }

        public static Credentials bearer(String token) {
            return new Credentials(Objects.requireNonNull(token), null, null);
        }

        public static Credentials basic(String username, String password) {
            return new Credentials(null, Objects.requireNonNull(username), Objects.requireNonNull(password));
        }

        /** Token wins over user/password, as in the Python client. */
        public static Credentials fromEnvironment(Map<String, String> env) {
            String token = blankToNull(env.get("MLFLOW_TRACKING_TOKEN"));
            if (token != null) {
                return bearer(token);
            }
            String user = blankToNull(env.get("MLFLOW_TRACKING_USERNAME"));
            String pass = env.get("MLFLOW_TRACKING_PASSWORD");
            if (user != null && pass != null) {
                return basic(user, pass);
            }
            return NONE;
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s;
        }

        String token() {
            return token;
        }

        String username() {
            return username;
        }

        String password() {
            return password;
        }

        /** The Authorization header value, or null. */
        String authorizationHeader() {
            if (token != null) {
                return "Bearer " + token;
            }
            if (username != null) {
                return "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (username + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return null;
        }

        @Override
        public String toString() {
            return token != null ? "Credentials[bearer ***]" : username != null ? "Credentials[basic ***]" : "Credentials[none]";
        }
    }
}
