package org.prunelab.stages.config;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A config key a stage reads: its absolute dotted name, type, default (null = required), a
 * validity check and a one-line description (shown by {@code prunelab keys}).
 */
public final class ConfigKey<T> {
    private final String name;
    private final Class<T> type;
    private final T defaultValue;
    private final Predicate<T> check;
    private final String requirement;
    private final String description;
    private final boolean inIdentity;

    private ConfigKey(String name, Class<T> type, T defaultValue, Predicate<T> check, String requirement,
                      String description) {
        this(name, type, defaultValue, check, requirement, description, true);
    }

    private ConfigKey(String name, Class<T> type, T defaultValue, Predicate<T> check, String requirement,
                      String description, boolean inIdentity) {
        this.name = Objects.requireNonNull(name);
        this.type = Objects.requireNonNull(type);
        this.defaultValue = defaultValue;
        this.check = check;
        this.requirement = requirement;
        this.description = description;
        this.inIdentity = inIdentity;
    }

    /**
     * A file or directory location. It is left out of the step identity because the stage declares
     * the files as external inputs and their content digests enter the identity instead: moving the
     * data does not invalidate finished work, changing one byte of it does.
     */
    public static ConfigKey<String> location(String name, String defaultValue, String description) {
        return new ConfigKey<>(name, String.class, defaultValue, v -> !v.isBlank(), "a non-empty path",
                description, false);
    }

    /** Whether the value enters the step identity (false only for locations whose content is digested). */
    public boolean inIdentity() {
        return inIdentity;
    }

    public static ConfigKey<Integer> integer(String name, Integer defaultValue, int min, int max, String description) {
        return new ConfigKey<>(name, Integer.class, defaultValue, v -> v >= min && v <= max,
                "an integer in [" + min + ", " + max + "]", description);
    }

    public static ConfigKey<Long> longInt(String name, Long defaultValue, String description) {
        return new ConfigKey<>(name, Long.class, defaultValue, v -> true, "an integer", description);
    }

    public static ConfigKey<Double> real(String name, Double defaultValue, double min, double max, String description) {
        return new ConfigKey<>(name, Double.class, defaultValue, v -> !v.isNaN() && v >= min && v <= max,
                "a number in [" + min + ", " + max + "]", description);
    }

    public static ConfigKey<Boolean> bool(String name, Boolean defaultValue, String description) {
        return new ConfigKey<>(name, Boolean.class, defaultValue, v -> true, "true or false", description);
    }

    public static ConfigKey<String> string(String name, String defaultValue, String description) {
        return new ConfigKey<>(name, String.class, defaultValue, v -> !v.isBlank(), "a non-empty string",
                description);
    }

    /**
     * Free text with a length limit imposed downstream (e.g. MLflow refuses a run description over
     * 5,000 characters): checked while the config is read, not when the server refuses it mid-run.
     */
    public static ConfigKey<String> text(String name, String defaultValue, int maxLength, String description) {
        return new ConfigKey<>(name, String.class, defaultValue, v -> !v.isBlank() && v.length() <= maxLength,
                "a non-empty text of at most " + maxLength + " characters", description);
    }

    public static ConfigKey<String> choice(String name, String defaultValue, List<String> choices, String description) {
        return new ConfigKey<>(name, String.class, defaultValue, choices::contains, "one of " + choices,
                description);
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public boolean required() {
        return defaultValue == null;
    }

    public String requirement() {
        return requirement;
    }

    public String description() {
        return description;
    }

    /** Converts a raw config value (from YAML or --set) to this key's type, or explains why not. */
    public T coerce(Object raw, String source) {
        if (raw == null) {
            if (defaultValue == null) {
                throw new ConfigException(source + ": required key '" + name + "' is missing (" + description + ")");
            }
            return defaultValue;
        }
        T value = convert(raw);
        if (value == null || !check.test(value)) {
            throw new ConfigException(source + ": key '" + name + "' must be " + requirement + ", got " + shown(raw));
        }
        return value;
    }

    private T convert(Object raw) {
        try {
            if (type == Integer.class) {
                if (raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                        && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
                    return type.cast(n.intValue());
                }
                return raw instanceof String s ? type.cast(Integer.parseInt(s.trim())) : null;
            }
            if (type == Long.class) {
                if (raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                    return type.cast(n.longValue());
                }
                return raw instanceof String s ? type.cast(Long.parseLong(s.trim())) : null;
            }
            if (type == Double.class) {
                if (raw instanceof Number n) {
                    return type.cast(n.doubleValue());
                }
                return raw instanceof String s ? type.cast(Double.parseDouble(s.trim())) : null;
            }
            if (type == Boolean.class) {
                if (raw instanceof Boolean b) {
                    return type.cast(b);
                }
                if (raw instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
                    return type.cast(Boolean.parseBoolean(s));
                }
                return null;
            }
            if (type == String.class) {
                return raw instanceof String || raw instanceof Number || raw instanceof Boolean
                        ? type.cast(raw.toString()) : null;
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    /** The offending value, cut short when long (a 6,000-character description is not worth repeating). */
    private static String shown(Object raw) {
        String text = String.valueOf(raw);
        return text.length() <= 80 ? "'" + text + "'"
                : "'" + text.substring(0, 60) + "...' (" + text.length() + " characters)";
    }

    @Override
    public String toString() {
        return name;
    }
}
