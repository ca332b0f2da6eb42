package org.prunelab.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Comparator;

/**
 * Writes that are all-or-nothing: a reader (or a process restarted after SIGKILL) sees either the
 * old file or the complete new one, never a torn write. Temp file in the same directory, fsync,
 * rename, fsync of the directory. The one copy of this protocol for every module.
 */
public final class AtomicFiles {
    private static final SecureRandom TEMP_NAMES = new SecureRandom();

    private AtomicFiles() {
    }

    /**
     * The permissions a newly written file gets. Results are meant to be shared (a group's project
     * directory, a web server showing reports), so the default is what any program creating a file
     * gets: the user's umask decides (0644 under the common 022). No file prunelab writes holds a
     * secret (credentials come from the environment and are never written), so nothing uses
     * {@link #OWNER_ONLY} today; it stays for a caller that writes one.
     */
    public enum NewFileMode {
        /** {@code rw-------} whatever the umask, as {@link Files#createTempFile} makes it: for secrets. */
        OWNER_ONLY,
        /** {@code rw-rw-rw-} less the process umask, as a plain file creation: every output (the default). */
        PROCESS_DEFAULT
    }

    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Writes {@code target} atomically; a new file is {@link NewFileMode#PROCESS_DEFAULT} (the umask decides). */
    public static void write(Path target, Writer writer) throws IOException {
        write(target, NewFileMode.PROCESS_DEFAULT, writer);
    }

    public static void write(Path target, NewFileMode mode, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = createTemp(dir, target.getFileName().toString(), mode);
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                writer.write(out);
                out.flush();
                channel.force(true);
            }
            moveAtomically(tmp, target);
            fsyncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    public static void writeBytes(Path target, NewFileMode mode, byte[] bytes) throws IOException {
        write(target, mode, out -> out.write(bytes));
    }

    public static void writeString(Path target, String text) throws IOException {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Renames a fully written directory into place (the target must not exist). */
    public static void moveDirectory(Path source, Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        moveAtomically(source, target);
        fsyncDirectory(target.toAbsolutePath().getParent());
    }

    /** Forces a file's content to disk (e.g. after an append or a copy). */
    public static void fsyncFile(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /**
     * Makes a rename or a new file durable. Some platforms cannot open directories (Windows); that is
     * not an error: the rename is still atomic there, only its durability is weaker.
     */
    public static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // see the method comment
        }
    }

    /** Deletes a directory tree if present. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * A fresh, uniquely named directory {@code dir/<prefix><random>} to build a tree in before it is
     * renamed into place ({@link #moveDirectory}). Its mode is the umask's default, as a plain
     * directory creation gets (0755 under 022), like every other directory of the runs tree:
     * {@link Files#createTempDirectory} makes {@code rwx------}, which a renamed directory (a
     * checkpoint) would keep, so a group sharing the runs directory could not read it.
     */
    public static Path createTempDirectory(Path dir, String prefix) throws IOException {
        Files.createDirectories(dir);
        while (true) {
            Path tmp = dir.resolve(prefix + Long.toUnsignedString(TEMP_NAMES.nextLong()));
            try {
                return Files.createDirectory(tmp);
            } catch (FileAlreadyExistsException taken) {
                // another writer drew the same name: draw again
            }
        }
    }

    /** A fresh temp file next to the target (same file system, so the rename is atomic). */
    private static Path createTemp(Path dir, String targetName, NewFileMode mode) throws IOException {
        String prefix = "." + targetName + ".";
        if (mode == NewFileMode.OWNER_ONLY) {
            return Files.createTempFile(dir, prefix, ".tmp");
        }
        while (true) {
            Path tmp = dir.resolve(prefix + Long.toUnsignedString(TEMP_NAMES.nextLong()) + ".tmp");
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException taken) {
                // another writer drew the same name: draw again
            }
        }
    }

    private static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("file system cannot rename atomically: " + target, e);
        }
    }
}
