package org.prunelab.pipeline.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The checkpoints a pipeline process running in another JVM has committed so far, read while it
 * writes, renames and prunes them. A recursive walk of {@code runs/work} is not safe here: it
 * descends into a checkpoint's temporary directory just before that directory is renamed and then
 * fails on a file that no longer exists. This lists only the committed {@code ckpt-*} names, one
 * directory level at a time, and treats a directory that vanished between two listings as empty:
 * the caller polls again.
 */
final class LiveCheckpoints {

    private LiveCheckpoints() {
    }

    /** Positions (updates done) of the committed checkpoints of every step in progress under {@code runs}. */
    static List<Long> positions(Path runs) {
        List<Long> positions = new ArrayList<>();
        for (Path step : entries(runs.resolve("work"))) {
            for (Path checkpoint : entries(step.resolve("checkpoints"))) {
                String name = checkpoint.getFileName().toString();
                if (name.startsWith("ckpt-")) {
                    positions.add(Long.parseLong(name.substring("ckpt-".length())));
                }
            }
        }
        return positions;
    }

    /** How many committed checkpoints exist under {@code runs}. */
    static long count(Path runs) {
        return positions(runs).size();
    }

    /** The furthest committed checkpoint position under {@code runs}, 0 when there is none. */
    static long furthest(Path runs) {
        return positions(runs).stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static List<Path> entries(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.toList();
        } catch (IOException | UncheckedIOException vanished) {
            return List.of(); // removed while listed (a step committed, or a checkpoint was pruned)
        }
    }
}
