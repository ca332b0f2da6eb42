package org.prunelab.pipeline.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What is under {@code runs/work/}: per step identity, whether its work directory is in use, worth
 * keeping, or garbage. {@code prunelab status} reports it, {@code prunelab gc} removes the garbage.
 */
public final class WorkDirs {
    /** Written by the engine when a step throws; holds the error message. */
    public static final String FAILED_MARKER = "failed";

    public enum State {
        /** A live process holds the step's lock. */
        RUNNING(false),
        /** Interrupted with checkpoints or outputs: the next run resumes from them. */
        RESUMABLE(false),
        /** The step threw; its partial outputs and checkpoints are of no further use. */
        FAILED(true),
        /** The step is committed already (a kill came between commit and clean-up). */
        COMMITTED(true),
        /** Nothing to resume from (no checkpoint, no output). */
        EMPTY(true),
        /** Not created by any plan of this runs directory (no identity record): nothing would resume it. */
        UNREFERENCED(true);

        public final boolean garbage;

        State(boolean garbage) {
            this.garbage = garbage;
        }
    }

    public record WorkDir(String id, Path path, State state, long bytes, String detail) { }

    private final StepStore store;

    public WorkDirs(StepStore store) {
        this.store = store;
    }

    public List<WorkDir> scan() throws IOException {
        Path work = store.root().resolve("work");
        List<WorkDir> result = new ArrayList<>();
        if (!Files.isDirectory(work)) {
            return result;
        }
        List<Path> dirs;
        try (var list = Files.list(work)) {
            dirs = list.filter(Files::isDirectory).sorted().toList();
        }
        for (Path dir : dirs) {
            String id = dir.getFileName().toString();
            result.add(new WorkDir(id, dir, classify(id, dir), bytes(dir), detail(dir)));
        }
        return result;
    }

    private State classify(String id, Path dir) throws IOException {
        if (StepLock.isHeld(store.lockFile(id))) {
            return State.RUNNING;
        }
        if (Files.exists(dir.resolve(FAILED_MARKER))) {
            return State.FAILED;
        }
        if (isCommitted(id)) {
            return State.COMMITTED;
        }
        if (!Files.exists(store.root().resolve("identities").resolve(id + ".json"))) {
            return State.UNREFERENCED;
        }
        boolean hasCheckpoint = false;
        Path checkpoints = store.checkpointDir(id);
        if (Files.isDirectory(checkpoints)) {
            try (var list = Files.list(checkpoints)) {
                hasCheckpoint = list.anyMatch(p -> p.getFileName().toString().startsWith("ckpt-"));
            }
        }
        boolean hasOutput = false;
        Path out = store.workOutputs(id);
        if (Files.isDirectory(out)) {
            try (var list = Files.list(out)) {
                hasOutput = list.anyMatch(p -> !TempFiles.isTemp(p));
            }
        }
        return hasCheckpoint || hasOutput ? State.RESUMABLE : State.EMPTY;
    }

    private boolean isCommitted(String id) throws IOException {
        Path steps = store.root().resolve("steps");
        if (!Files.isDirectory(steps)) {
            return false;
        }
        try (var kinds = Files.list(steps)) {
            return kinds.anyMatch(kind -> Files.isRegularFile(kind.resolve(id).resolve(StepManifest.FILE)));
        }
    }

    private static String detail(Path dir) {
        Path marker = dir.resolve(FAILED_MARKER);
        try {
            if (Files.isRegularFile(marker)) {
                String text = new String(Files.readAllBytes(marker), StandardCharsets.UTF_8).strip();
                return text.length() > 200 ? text.substring(0, 200) + "..." : text;
            }
        } catch (IOException e) {
            return "";
        }
        return "";
    }

    static long bytes(Path dir) {
        try (var paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }
}
