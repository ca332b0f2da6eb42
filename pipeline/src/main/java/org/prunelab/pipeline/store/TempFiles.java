package org.prunelab.pipeline.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.prunelab.io.AtomicFiles;

/**
 * The temporary names prunelab's atomic writers use: {@code .NAME.RANDOM.tmp} for files
 * ({@code AtomicFiles}) and {@code .tmp-NAME-RANDOM} for directories (checkpoints). A kill during a
 * write leaves one behind; it must never travel into a committed step directory.
 */
public final class TempFiles {
    private TempFiles() {
    }

    public static boolean isTemp(Path path) {
        String name = path.getFileName().toString();
        return name.startsWith(".") && (name.endsWith(".tmp") || name.startsWith(".tmp-"));
    }

    /** Every temp file or directory under {@code dir} (not descending into temp directories). */
    public static List<Path> find(Path dir) throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted().toList()) {
                if (!p.equals(dir) && isTemp(p) && found.stream().noneMatch(p::startsWith)) {
                    found.add(p);
                }
            }
        }
        return found;
    }

    /** Deletes every temp leftover under {@code dir}; returns how many were removed. */
    public static int removeLeftovers(Path dir) throws IOException {
        List<Path> leftovers = find(dir);
        for (Path p : leftovers) {
            AtomicFiles.deleteTree(p);
        }
        return leftovers.size();
    }
}
