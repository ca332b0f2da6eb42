package org.prunelab.stages.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryCheckpointStoreTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private DirectoryCheckpointStore store(int keep) {
        return new DirectoryCheckpointStore(dir, keep, 10, 0, Clock.systemUTC(), warnings::add);
    }

    private static Checkpoint checkpoint(long position) {
        return new Checkpoint(position, Map.of(
                "w", Checkpoint.Tensor.of(new double[] {position, 0.5, -1e-300, Double.MIN_VALUE}, 2, 2),
                "mask", Checkpoint.Tensor.of(new byte[] {1, 0, 1, 1}, 2, 2)),
                Map.of("epoch", (int) position, "history", List.of(Map.of("pll", -1.25))));
    }

    @Test
    void roundTripsTensorsAndStateExactly() throws Exception {
        DirectoryCheckpointStore store = store(3);
        store.save(checkpoint(7));
        Checkpoint back = store.latest().orElseThrow();
        assertEquals(7, back.position());
        assertArrayEquals(new double[] {7, 0.5, -1e-300, Double.MIN_VALUE}, back.doubles("w"));
        assertArrayEquals(new byte[] {1, 0, 1, 1}, back.bytes("mask"));
        assertEquals(7, ((Number) back.state().get("epoch")).intValue());
        assertEquals(List.of(Map.of("pll", -1.25)), back.state().get("history"));
    }

    /** Checkpoints are shared like every output: a plain directory's mode (0755 under 022), not rwx------. */
    @Test
    void aCheckpointDirectoryGetsTheUmaskDefaultMode() throws Exception {
        store(3).save(checkpoint(7));
        Path plain = Files.createDirectory(dir.resolve("plain"));
        Path ckpt = dir.resolve(String.format("ckpt-%015d", 7));
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(ckpt)));
        Path plainFile = Files.createFile(dir.resolve("plain.txt"));
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plainFile)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(ckpt.resolve("checkpoint.json"))));
    }

    @Test
    void keepsOnlyTheLastK() throws Exception {
        DirectoryCheckpointStore store = store(2);
        for (long p = 1; p <= 5; p++) {
            store.save(checkpoint(p));
        }
        try (var list = Files.list(dir)) {
            assertEquals(2, list.filter(p -> p.getFileName().toString().startsWith("ckpt-")).count());
        }
        assertEquals(5, store.latest().orElseThrow().position());
    }

    @Test
    void corruptNewestFallsBackToPreviousAndSaysSo() throws Exception {
        DirectoryCheckpointStore store = store(3);
        store.save(checkpoint(1));
        store.save(checkpoint(2));
        Path newest = dir.resolve(String.format("ckpt-%015d", 2)).resolve("w.npy");
        try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
            f.seek(f.length() - 3);
            f.write(0x7f); // flip one byte of the payload
        }
        assertEquals(1, store.latest().orElseThrow().position());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("checksum mismatch")), warnings.toString());
    }

    @Test
    void truncatedCheckpointIsNeverLoaded() throws Exception {
        DirectoryCheckpointStore store = store(3);
        store.save(checkpoint(1));
        Path file = dir.resolve(String.format("ckpt-%015d", 1)).resolve("mask.npy");
        Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(file), 20));
        assertFalse(store.latest().isPresent());
        assertEquals(1, warnings.size());
    }

    @Test
    void dueByPositionAndByTime() {
        DirectoryCheckpointStore byPosition = store(1);
        assertTrue(byPosition.due(20));
        assertFalse(byPosition.due(21));
        Clock frozen = Clock.fixed(java.time.Instant.EPOCH, java.time.ZoneOffset.UTC);
        DirectoryCheckpointStore byTime = new DirectoryCheckpointStore(dir, 1, 0, 1000, frozen, warnings::add);
        assertFalse(byTime.due(3));
    }
}
