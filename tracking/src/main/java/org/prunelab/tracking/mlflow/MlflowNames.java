package org.prunelab.tracking.mlflow;

import java.util.regex.Pattern;

/**
 * The server's rules for keys and values, checked before sending so that the caller gets a message
 * naming the offending key instead of a 400 about "a batch" (and the outbox never journals an entry
 * that can only fail).
 */
public final class MlflowNames {
    /** The reserved tag that makes a run the child of another (the UI nests it). */
    public static final String PARENT_RUN_TAG = "mlflow.parentRunId";
    public static final int MAX_KEY_LENGTH = 250;
    public static final int MAX_PARAM_VALUE_LENGTH = 6000;
    /** Recent 3.x servers accept 8,000; 5,000 is the limit every supported server accepts. */
    public static final int MAX_TAG_VALUE_LENGTH = 5000;
    // ':' is accepted by recent servers on non-Windows hosts only, so we stay with the portable set.
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_\\-. /]+");

    private MlflowNames() { }

    public static void validateKey(String kind, String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException(kind + " key is empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException(kind + " key '" + key.substring(0, 40) + "…' is " + key.length()
                    + " characters; MLflow allows at most " + MAX_KEY_LENGTH);
        }
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException(kind + " key '" + key
                    + "' has characters MLflow rejects; allowed: letters, digits, '_', '-', '.', '/', space");
        }
        if (key.startsWith("/") || key.contains("..") || key.startsWith("./") || key.contains("/./") || key.endsWith("/.")
                || key.equals(".")) {
            throw new IllegalArgumentException(kind + " key '" + key
                    + "' is not a normalized relative path (no leading '/', no '.' or '..' segments)");
        }
    }

    public static void validateParam(String key, String value) {
        validateKey("param", key);
        if (value == null) {
            throw new IllegalArgumentException("param '" + key + "' has a null value");
        }
        if (value.length() > MAX_PARAM_VALUE_LENGTH) {
            throw new IllegalArgumentException("param '" + key + "' is " + value.length() + " characters; MLflow keeps at most "
                    + MAX_PARAM_VALUE_LENGTH + " (and silently truncates) - log the value as an artifact and a hash as the param");
        }
    }

    public static void validateTag(String key, String value) {
        validateKey("tag", key);
        if (value == null) {
            throw new IllegalArgumentException("tag '" + key + "' has a null value");
        }
        if (value.length() > MAX_TAG_VALUE_LENGTH) {
            throw new IllegalArgumentException("tag '" + key + "' is " + value.length() + " characters; at most "
                    + MAX_TAG_VALUE_LENGTH + " are portable across MLflow servers");
        }
    }
}
