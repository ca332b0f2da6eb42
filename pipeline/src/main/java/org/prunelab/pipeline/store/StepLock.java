package org.prunelab.pipeline.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * An exclusive claim on one step's work directory, held by an OS file lock: two processes can never
 * run the same step at once, and the lock disappears with the process, so a SIGKILL never leaves a
 * stale lock behind. The holder's pid and start time are written in the file for the error message.
 */
public final class StepLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private StepLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock or fails at once with a message naming the holder. */
    public static StepLock acquire(Path lockFile, String what) throws IOException {
        Files.createDirectories(lockFile.getParent());
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String holder = new String(Files.readAllBytes(lockFile), StandardCharsets.UTF_8).trim();
            channel.close();
            throw new StepBusyException(what + " is being run by another prunelab process ("
                    + (holder.isEmpty() ? "unknown" : holder) + "); wait for it to finish or stop it");
        }
        channel.truncate(0);
        channel.write(java.nio.ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", since " + Instant.now())
                .getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
        return new StepLock(channel, lock);
    }

    /** Whether a live process holds the lock (never creates the file). */
    public static boolean isHeld(Path lockFile) {
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // held by this very process
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    /** Another process holds the step. */
    public static final class StepBusyException extends IOException {
        private static final long serialVersionUID = 1L;

        public StepBusyException(String message) {
            super(message);
        }
    }
}
