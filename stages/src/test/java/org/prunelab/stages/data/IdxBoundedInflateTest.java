package org.prunelab.stages.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, finding 6: a small gzip file that inflates to far more than its header announces (a
 * "gzip bomb") was inflated completely before the header was read. The reader now allocates only
 * what the validated header announces and stops one byte past it, naming the file.
 */
class IdxBoundedInflateTest {
    private static final int BOMB_MIB = 128;

    @TempDir
    Path dir;

    private static byte[] bomb(byte[] header) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
            gz.write(header);
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < BOMB_MIB; i++) {
                gz.write(zeros);
            }
        }
        return out.toByteArray();
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void bombIsStoppedJustPastTheAnnouncedSizeWithTheFileNamed() throws Exception {
        byte[] header = IdxBytes.images(3, 2, 3, new byte[0]); // announces 18 pixel bytes
        Path images = IdxBytes.write(dir, "train-images-idx3-ubyte.gz", bomb(header));
        Path labels = IdxBytes.write(dir, "train-labels-idx1-ubyte", IdxBytes.labels((byte) 1, (byte) 2, (byte) 3));
        assertTrue(java.nio.file.Files.size(images) < 2 << 20, "the bomb is small on disk");

        long before = allocatedByThisThread();
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(images, labels));
        long allocated = allocatedByThisThread() - before;

        assertTrue(e.getMessage().startsWith(images.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("trailing garbage"), e.getMessage());
        assertTrue(allocated < 32L << 20, "inflating must stop near the announced 18 bytes, but "
                + (allocated >> 20) + " MiB were allocated for a " + BOMB_MIB + " MiB bomb");
    }

    @Test
    void headerAnnouncingGigabytesCostsOnlyWhatIsThere() throws Exception {
        Path images = IdxBytes.write(dir, "liar-images.gz",
                IdxBytes.gzip(IdxBytes.images(120, 4096, 4096, new byte[1000])));
        Path labels = IdxBytes.write(dir, "labels", IdxBytes.labels(new byte[120]));
        long before = allocatedByThisThread();
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(images, labels));
        long allocated = allocatedByThisThread() - before;
        assertTrue(e.getMessage().startsWith(images.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(allocated < 32L << 20, (allocated >> 20) + " MiB allocated for a file holding 1000 pixel bytes");
    }
}
