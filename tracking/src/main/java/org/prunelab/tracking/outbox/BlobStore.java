package org.prunelab.tracking.outbox;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.Set;
import org.prunelab.io.AtomicFiles;

/**
 * {@code blobs/<seq>/}: private copies of artifacts, taken when the upload is queued so that the
 * caller may delete or overwrite its file before delivery; removed once the entry is done.
 */
final class BlobStore {
    private static final String TREE = "tree";

    /** Fills a fresh blob directory. */
    @FunctionalInterface
    interface Filler {
        void fill(Path blobDir) throws IOException;
    }

    private final Path root;

    BlobStore(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    /** Copies one file in for entry {@code seq}, durably (file and directories forced to disk). */
    void putFile(long seq, Path file) throws IOException {
        put(seq, dir -> copyFile(file, dir.resolve(file.getFileName().toString())));
    }

    /** Copies a directory tree in (regular files only; symlinks are skipped, not followed). */
    void putTree(long seq, Path tree) throws IOException {
        put(seq, dir -> copyTree(tree, dir.resolve(TREE)));
    }

    private void put(long seq, Filler filler) throws IOException {
        Path dir = root.resolve(Long.toString(seq));
        delete(dir); // left over from a torn entry with the same number
        Files.createDirectories(dir);
        filler.fill(dir);
        AtomicFiles.fsyncDirectory(dir);
        AtomicFiles.fsyncDirectory(root);
    }

    Path file(long seq, String name) {
        Path p = root.resolve(Long.toString(seq)).resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("outbox copy of artifact is missing: " + p);
        }
        return p;
    }

    Path tree(long seq) {
        Path p = root.resolve(Long.toString(seq)).resolve(TREE);
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException("outbox copy of artifact directory is missing: " + p);
        }
        return p;
    }

    /** Whether the private copy of entry {@code seq} is still here. */
    boolean has(long seq) {
        return Files.isDirectory(root.resolve(Long.toString(seq)));
    }

    /** Moves the private copy of entry {@code seq} to {@code target} (which must not exist) and forgets it. */
    void moveOut(long seq, Path target) throws IOException {
        AtomicFiles.moveDirectory(root.resolve(Long.toString(seq)), target);
        AtomicFiles.fsyncDirectory(root);
    }

    void remove(long seq) {
        delete(root.resolve(Long.toString(seq)));
    }

    /** Removes the blobs of entries already done, or of entries that never made it into the journal. */
    void removeAllExcept(Set<Long> keep) throws IOException {
        try (var s = Files.list(root)) {
            s.filter(p -> !keep.contains(parseSeq(p))).forEach(BlobStore::delete);
        }
    }

    private static Long parseSeq(Path blobDir) {
        try {
            return Long.parseLong(blobDir.getFileName().toString());
        } catch (NumberFormatException notOurs) {
            return null;
        }
    }

    private static void copyFile(Path from, Path to) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        AtomicFiles.fsyncFile(to);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) { // symlinks are reported as such (not followed) and skipped
                    copyFile(f, to.resolve(from.relativize(f).toString()));
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Best effort: a leftover blob is harmless, it is removed on the next open. */
    private static void delete(Path p) {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(q -> {
                try {
                    Files.deleteIfExists(q);
                } catch (IOException ignored) {
                    // see the method comment
                }
            });
        } catch (IOException ignored) {
            // see the method comment
        }
    }
}
