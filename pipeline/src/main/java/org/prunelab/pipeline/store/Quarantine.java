package org.prunelab.pipeline.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Moves a damaged file or directory aside, next to where it was, under a name that says so
 * ({@code NAME.damaged-20261130T071500Z}). Kept rather than deleted, so that a user can look at what
 * went wrong; never read again by prunelab.
 */
public final class Quarantine {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private Quarantine() {
    }

    public static Path moveAside(Path damaged) throws IOException {
        String base = damaged.getFileName() + ".damaged-" + STAMP.format(Instant.now());
        Path target = damaged.resolveSibling(base);
        for (int n = 2; Files.exists(target); n++) {
            target = damaged.resolveSibling(base + "-" + n);
        }
        Files.move(damaged, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** Whether a name was given by {@link #moveAside} (such files are never read as bookkeeping). */
    public static boolean isQuarantined(Path file) {
        return file.getFileName().toString().contains(".damaged-");
    }
}
