package org.prunelab.pipeline.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.prunelab.io.AtomicFiles;

/**
 * How many times a step has been started, kept in {@code work/<id>/attempts} as a decimal number.
 * Written atomically (a kill leaves the old number or the new one, never an empty file), and
 * validated on read: anything but a number in range is moved aside as {@code attempts.damaged-*}
 * with a warning, and counting starts again. A damaged counter must never stop a step from running.
 */
public final class Attempts {
    private static final int MAX = 1_000_000;

    private final Path file;

    Attempts(Path file) {
        this.file = file;
    }

    /** Increments and durably records the counter; returns the new value (1 for a first attempt). */
    public int next(Consumer<String> warnings) throws IOException {
        int attempts = read(warnings) + 1;
        AtomicFiles.writeString(file, Integer.toString(attempts));
        return attempts;
    }

    /** The recorded count, 0 when absent; a damaged file is quarantined and counts as 0. */
    public int read(Consumer<String> warnings) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.UTF_8).trim();
        if (text.matches("[0-9]{1,7}")) {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= MAX) {
                return value;
            }
        }
        Path aside = Quarantine.moveAside(file);
        warnings.accept(file + " was damaged (" + describe(text) + "); moved to " + aside.getFileName()
                + " and counting attempts from 1 again");
        return 0;
    }

    private static String describe(String text) {
        if (text.isEmpty()) {
            return "empty";
        }
        String shown = text.length() > 20 ? text.substring(0, 20) + "..." : text;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "' is not a number from 1 to " + MAX;
    }
}
