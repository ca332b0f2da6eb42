package org.prunelab.stages.config;

/** A config value is missing, of the wrong type or out of range. The message names key and value. */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
