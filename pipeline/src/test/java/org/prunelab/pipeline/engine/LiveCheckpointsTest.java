package org.prunelab.pipeline.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The helper that watches another JVM's checkpoints must survive the writer's renames and deletions. */
class LiveCheckpointsTest {
    @TempDir
    Path runs;

    @Test
    void countsOnlyCommittedCheckpointsOfEveryStep() throws Exception {
        Path a = Files.createDirectories(runs.resolve("work/aaaa/checkpoints"));
        Path b = Files.createDirectories(runs.resolve("work/bbbb/checkpoints"));
        Files.createDirectories(a.resolve("ckpt-000000000000050"));
        Files.createDirectories(a.resolve("ckpt-000000000000100"));
        Files.createDirectories(a.resolve(".tmp-ckpt-000000000000150-123"));
        Files.createDirectories(b.resolve("ckpt-000000000000020"));
        Files.createDirectories(runs.resolve("work/cccc")); // a step that has not checkpointed yet

        assertEquals(3, LiveCheckpoints.count(runs));
        assertEquals(100, LiveCheckpoints.furthest(runs));
        assertEquals(List.of(), LiveCheckpoints.positions(runs.resolve("nowhere")));
    }

    @Test
    void aWriterRenamingAndPruningCheckpointsNeverMakesThePollThrow() throws Exception {
        Path dir = Files.createDirectories(runs.resolve("work/step/checkpoints"));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        // The writer does what DirectoryCheckpointStore does: fill a temp directory, rename it into
        // place, prune the older checkpoint, and at the end remove the whole step directory.
        Thread writer = new Thread(() -> {
            try {
                for (long position = 1; !stop.get(); position++) {
                    Path tmp = Files.createDirectories(dir.resolve(".tmp-ckpt-" + position));
                    Files.writeString(tmp.resolve("checkpoint.json"), "{}");
                    Path committed = dir.resolve(String.format("ckpt-%015d", position));
                    Files.move(tmp, committed, StandardCopyOption.ATOMIC_MOVE);
                    Path older = dir.resolve(String.format("ckpt-%015d", position - 1));
                    if (Files.exists(older)) {
                        Files.delete(older.resolve("checkpoint.json"));
                        Files.delete(older);
                    }
                }
            } catch (Throwable e) {
                writerFailure.set(e);
            }
        });
        writer.start();
        long polls = 0, seen = 0;
        long end = System.nanoTime() + 1_000_000_000L;
        try {
            while (System.nanoTime() < end) {
                seen = Math.max(seen, LiveCheckpoints.furthest(runs)); // must not throw
                polls++;
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        assertEquals(null, writerFailure.get());
        assertTrue(polls > 100 && seen > 0, polls + " polls saw furthest checkpoint " + seen);
    }
}
