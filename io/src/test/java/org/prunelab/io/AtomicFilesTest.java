package org.prunelab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.sorted().toList();
        }
    }

    @Test
    void replacesTheTargetAndLeavesNoTempFile() throws Exception {
        Path file = tmp.resolve("a.json");
        AtomicFiles.writeString(file, "old");
        AtomicFiles.writeString(file, "new");
        assertEquals("new", Files.readString(file));
        assertEquals(List.of(file), listing());
    }

    @Test
    void aFailingWriterKeepsTheOldContentAndLeavesNoTempFile() throws Exception {
        Path file = tmp.resolve("a.json");
        AtomicFiles.writeString(file, "old");
        assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(file));
        assertEquals(List.of(file), listing());
    }

    /** Issue 14: outputs are readable as the user's umask allows (0644 under 022), not owner-only. */
    @Test
    void newFilesGetTheUmaskDefaultAndOwnerOnlyOnlyWhenAsked() throws Exception {
        Path plain = Files.createFile(tmp.resolve("plain"));
        Path output = tmp.resolve("weights.npy");
        AtomicFiles.writeBytes(output, new byte[] {1});
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(output)), "as a plain file creation (umask)");
        Path secret = tmp.resolve("secret.bin");
        AtomicFiles.writeBytes(secret, AtomicFiles.NewFileMode.OWNER_ONLY, new byte[] {1});
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
    }

    /** A tree built in a temp directory and renamed into place gets a plain directory's mode, not rwx------. */
    @Test
    void aTempDirectoryGetsTheUmaskDefault() throws Exception {
        Path plain = Files.createDirectory(tmp.resolve("plain"));
        Path first = AtomicFiles.createTempDirectory(tmp.resolve("sub"), ".tmp-x-");
        Path second = AtomicFiles.createTempDirectory(tmp.resolve("sub"), ".tmp-x-");
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(first)), "as a plain directory creation (umask)");
        assertTrue(first.getFileName().toString().startsWith(".tmp-x-"), first.toString());
        assertTrue(!first.equals(second) && Files.isDirectory(second), "each call a fresh directory");
    }

    @Test
    void moveDirectoryRenamesIntoPlace() throws Exception {
        Path staging = Files.createDirectories(tmp.resolve("staging"));
        Files.writeString(staging.resolve("x"), "1");
        AtomicFiles.moveDirectory(staging, tmp.resolve("final/dir"));
        assertEquals("1", Files.readString(tmp.resolve("final/dir/x")));
        AtomicFiles.deleteTree(tmp.resolve("final"));
        assertEquals(List.of(), listing());
    }
}
