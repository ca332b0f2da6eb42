package org.prunelab.pipeline.store;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.prunelab.io.AtomicFiles;

/**
 * {@code prunelab gc}: removes work directories that can never be used again (failed steps, steps
 * committed since, directories with nothing to resume from), temp files torn by a kill, and
 * verification-cache entries of steps that no longer exist. Resumable and running work is kept.
 * Each removal takes the step's lock first, so a step that a process starts meanwhile is left alone.
 */
public final class GarbageCollector {
    public record Summary(int removed, long bytes, int kept) { }

    private final StepStore store;
    private final PrintStream out;

    public GarbageCollector(StepStore store, PrintStream out) {
        this.store = store;
        this.out = out;
    }

    public Summary collect(boolean dryRun) throws IOException {
        String verb = dryRun ? "would remove" : "removed";
        int removed = 0;
        int kept = 0;
        long bytes = 0;
        for (WorkDirs.WorkDir dir : new WorkDirs(store).scan()) {
            if (!dir.state().garbage) {
                kept++;
                out.printf(Locale.ROOT, "  kept         %s  %s%n", store.root().relativize(dir.path()),
                        dir.state().name().toLowerCase(Locale.ROOT));
                continue;
            }
            if (!dryRun && !removeUnderLock(dir)) {
                kept++;
                continue;
            }
            removed++;
            bytes += dir.bytes();
            out.printf(Locale.ROOT, "  %-12s %s  %s, %s%s%n", verb, store.root().relativize(dir.path()),
                    dir.state().name().toLowerCase(Locale.ROOT), human(dir.bytes()),
                    dir.detail().isEmpty() ? "" : ": " + dir.detail());
        }
        for (Path temp : TempFiles.find(store.root().resolve("steps"))) {
            long size = WorkDirs.bytes(temp) + (Files.isRegularFile(temp) ? Files.size(temp) : 0);
            if (!dryRun) {
                AtomicFiles.deleteTree(temp);
            }
            removed++;
            bytes += size;
            out.printf(Locale.ROOT, "  %-12s %s  torn temp file%n", verb, store.root().relativize(temp));
        }
        for (Path cache : staleCacheEntries()) {
            if (!dryRun) {
                Files.deleteIfExists(cache);
            }
        }
        out.printf(Locale.ROOT, "gc: %s %d item(s), %s; kept %d work dir(s) (running or resumable)%n", verb, removed,
                human(bytes), kept);
        return new Summary(removed, bytes, kept);
    }

    private boolean removeUnderLock(WorkDirs.WorkDir dir) throws IOException {
        try (StepLock lock = StepLock.acquire(store.lockFile(dir.id()), "work directory " + dir.id())) {
            AtomicFiles.deleteTree(dir.path());
            return true;
        } catch (StepLock.StepBusyException e) {
            out.println("  kept         " + store.root().relativize(dir.path()) + "  taken by a process meanwhile");
            return false;
        }
    }

    private List<Path> staleCacheEntries() throws IOException {
        Path verified = store.root().resolve("verified");
        if (!Files.isDirectory(verified)) {
            return List.of();
        }
        Path steps = store.root().resolve("steps");
        try (var list = Files.list(verified)) {
            return list.filter(p -> {
                String id = p.getFileName().toString().replaceFirst("\\.json$", "");
                try (var kinds = Files.isDirectory(steps) ? Files.list(steps) : java.util.stream.Stream.<Path>empty()) {
                    return kinds.noneMatch(k -> Files.isDirectory(k.resolve(id)));
                } catch (IOException e) {
                    return false;
                }
            }).toList();
        }
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024L * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
