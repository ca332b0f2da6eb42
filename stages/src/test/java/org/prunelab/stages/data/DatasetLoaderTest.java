package org.prunelab.stages.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.StringJoiner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLoaderTest {
    @TempDir
    Path dir;

    @Test
    void loadsIdxDirectoryMixingRawAndGzip() throws IOException {
        IdxBytes.write(dir, IdxFormat.TRAIN_IMAGES + ".gz", IdxBytes.gzip(IdxBytes.images(2, 28, 28, IdxBytes.pattern(2, 784))));
        IdxBytes.write(dir, IdxFormat.TRAIN_LABELS, IdxBytes.labels((byte) 1, (byte) 2));
        IdxBytes.write(dir, IdxFormat.TEST_IMAGES, IdxBytes.images(1, 28, 28, IdxBytes.pattern(1, 784)));
        IdxBytes.write(dir, IdxFormat.TEST_LABELS + ".gz", IdxBytes.gzip(IdxBytes.labels((byte) 9)));
        DatasetSplits s = DatasetLoader.load(dir, "IDX");
        assertEquals(2, s.train().count());
        assertArrayEquals(new int[] {9}, s.test().labels());
    }

    @Test
    void missingIdxFileSaysWhichName() throws IOException {
        IdxBytes.write(dir, IdxFormat.TRAIN_IMAGES, IdxBytes.images(1, 28, 28, IdxBytes.pattern(1, 784)));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> DatasetLoader.load(dir, "idx"));
        assertTrue(e.getMessage().contains(IdxFormat.TRAIN_LABELS), e.getMessage());
    }

    @Test
    void loadsCsvDirectory() throws IOException {
        Files.writeString(dir.resolve("mnist_train.csv"), row(3) + row(4));
        Files.writeString(dir.resolve("mnist_test.csv"), row(5));
        DatasetSplits s = DatasetLoader.load(dir, "csv");
        assertArrayEquals(new int[] {3, 4}, s.train().labels());
        assertArrayEquals(new int[] {5}, s.test().labels());
    }

    @Test
    void unknownFormat() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatasetLoader.load(dir, "npy"));
        assertTrue(e.getMessage().contains("idx") && e.getMessage().contains("csv"), e.getMessage());
    }

    private static String row(int label) {
        StringJoiner line = new StringJoiner(",", "", "\n");
        line.add(Integer.toString(label));
        for (int j = 0; j < 784; j++) {
            line.add("0");
        }
        return line.toString();
    }
}
