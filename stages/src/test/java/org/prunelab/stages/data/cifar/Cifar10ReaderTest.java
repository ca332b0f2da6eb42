package org.prunelab.stages.data.cifar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.data.DataFormatException;

class Cifar10ReaderTest {
    @TempDir
    Path dir;

    /** {@code n} records; record i has label (i + shift) % 10 and pixel p = (i * 7 + p) % 256. */
    static byte[] records(int n, int shift) {
        byte[] b = new byte[n * Cifar10Reader.RECORD];
        for (int i = 0; i < n; i++) {
            b[i * Cifar10Reader.RECORD] = (byte) ((i + shift) % 10);
            for (int p = 0; p < CifarImages.PIXELS; p++) {
                b[i * Cifar10Reader.RECORD + 1 + p] = (byte) ((i * 7 + p) % 256);
            }
        }
        return b;
    }

    private void writeAll(int perBatch) throws IOException {
        for (int k = 0; k < 5; k++) {
            Files.write(dir.resolve(Cifar10Reader.TRAIN_FILES.get(k)), records(perBatch, k));
        }
        Files.write(dir.resolve(Cifar10Reader.TEST_FILE), records(2, 9));
    }

    @Test
    void readsLabelsAndChannelPlanesOfEveryBatchInOrder() throws IOException {
        writeAll(3);
        CifarImages train = Cifar10Reader.train(dir);
        assertEquals(15, train.count());
        assertArrayEquals(new int[] {0, 1, 2, 1, 2, 3, 2, 3, 4, 3, 4, 5, 4, 5, 6}, train.labels());
        // Image 4 is record 1 of batch 2: pixel p = (7 + p) % 256; red plane first, then green, then blue.
        assertEquals(7, train.pixel(4, 0, 0, 0));
        assertEquals((7 + 1024 + 32 * 3 + 5) % 256, train.pixel(4, 1, 3, 5));
        assertEquals((7 + 2048 + 32 * 31 + 31) % 256, train.pixel(4, 2, 31, 31));
        CifarImages test = Cifar10Reader.test(dir);
        assertArrayEquals(new int[] {9, 0}, test.labels());
        assertEquals(7 % 256, test.pixel(1, 0, 0, 0));
    }

    @Test
    void aTruncatedFileNamesTheFileAndTheIncompleteRecord() throws IOException {
        writeAll(2);
        byte[] cut = records(3, 0);
        Path file = dir.resolve("data_batch_3.bin");
        Files.write(file, java.util.Arrays.copyOf(cut, cut.length - 100));
        var e = assertThrows(DataFormatException.class, () -> Cifar10Reader.train(dir));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("record 3 (byte offset 6146) has only 2973"),
                e.getMessage());
    }

    @Test
    void aMislabelledRecordIsNamedByNumberAndOffset() throws IOException {
        writeAll(2);
        byte[] bad = records(4, 0);
        bad[2 * Cifar10Reader.RECORD] = 10;
        Path file = dir.resolve(Cifar10Reader.TEST_FILE);
        Files.write(file, bad);
        var e = assertThrows(DataFormatException.class, () -> Cifar10Reader.test(dir));
        assertEquals(file + ": record 3 (byte offset 6146): label 10 is outside 0..9", e.getMessage());
    }

    @Test
    void emptyAndMissingFilesAreRefused() throws IOException {
        writeAll(1);
        Files.write(dir.resolve("data_batch_5.bin"), new byte[0]);
        var empty = assertThrows(DataFormatException.class, () -> Cifar10Reader.train(dir));
        assertTrue(empty.getMessage().contains("data_batch_5.bin: empty file"), empty.getMessage());
        Files.delete(dir.resolve("data_batch_5.bin"));
        var missing = assertThrows(ConfigException.class, () -> Cifar10Reader.train(dir));
        assertTrue(missing.getMessage().contains("missing data_batch_5.bin"), missing.getMessage());
    }
}
