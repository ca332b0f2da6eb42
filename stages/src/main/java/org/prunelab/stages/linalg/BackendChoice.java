package org.prunelab.stages.linalg;

import java.util.Locale;

/**
 * Which GEMM backend to use. {@link #AUTO} (the default) takes native OpenBLAS when it loads and the
 * fastest pure-Java path otherwise; {@link #JAVA} forces pure Java (so CI exercises the fallback);
 * {@link #NATIVE} insists on native and fails if it cannot load.
 *
 * <p>Set with the system property {@value #PROPERTY} or the environment variable {@value #ENV}
 * (the property wins), values {@code auto}, {@code native}, {@code java}.
 */
public enum BackendChoice {
    AUTO,
    NATIVE,
    JAVA;

    public static final String PROPERTY = "prunelab.linalg.backend";
    public static final String ENV = "PRUNELAB_LINALG_BACKEND";

    /** The choice the property or environment asks for; {@link #AUTO} when neither is set. */
    public static BackendChoice fromEnvironment() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return parse(property, "system property " + PROPERTY);
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return parse(env, "environment variable " + ENV);
        }
        return AUTO;
    }

    /** Parses {@code auto|native|java}; {@code source} names where the value came from, for the error. */
    public static BackendChoice parse(String value, String source) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "auto":
                return AUTO;
            case "native":
                return NATIVE;
            case "java":
                return JAVA;
            default:
                throw new IllegalArgumentException(source + ": unknown linalg backend \"" + value
                        + "\"; expected auto, native or java");
        }
    }
}
