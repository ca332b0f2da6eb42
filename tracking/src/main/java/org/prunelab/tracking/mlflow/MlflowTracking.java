package org.prunelab.tracking.mlflow;

import java.net.URI;
import java.util.Locale;
import org.prunelab.tracking.TrackingClient;

/** Entry point: {@code MlflowTracking.connect("http://127.0.0.1:5000", TrackingOptions.defaults())}. */
public final class MlflowTracking {
    private MlflowTracking() { }

    public static TrackingClient connect(String uri) {
        return connect(uri, TrackingOptions.defaults());
    }

    public static MlflowTrackingClient connect(String uri, TrackingOptions options) {
        return new MlflowTrackingClient(normalizeUri(uri), options);
    }

    /** Trailing slashes stripped (the client builds "{uri}/api/..."); only http and https accepted. */
    static String normalizeUri(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("MLflow tracking URI is empty; set MLFLOW_TRACKING_URI, e.g. http://127.0.0.1:5000");
        }
        String u = uri.strip();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        URI parsed;
        try {
            parsed = URI.create(u);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("MLflow tracking URI is not a valid URI: " + redact(u), e);
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || parsed.getHost() == null) {
            throw new IllegalArgumentException("MLflow tracking URI must be http(s)://host[:port], got: " + redact(u)
                    + " (file stores and 'databricks' are not supported; run an MLflow server)");
        }
        if (parsed.getRawUserInfo() != null) {
            throw new IllegalArgumentException("Put credentials in MLFLOW_TRACKING_USERNAME/PASSWORD, not in the URI: " + redact(u));
        }
        return u;
    }

    /** Never echo user-info (user:password@) back in a message. */
    static String redact(String uri) {
        return uri.replaceAll("//[^/@]*@", "//***@");
    }
}
