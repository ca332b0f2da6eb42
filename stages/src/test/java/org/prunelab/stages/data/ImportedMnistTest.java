package org.prunelab.stages.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.prunelab.io.Digests;

/**
 * Checks the real data produced by {@code make data} ({@code make test} makes it and exports
 * PRUNELAB_DATA_DIR). Missing data is a failure, not a skip: the pipeline tests need it too.
 */
class ImportedMnistTest {
    private static Path mnistDir() {
        String dataDir = System.getenv("PRUNELAB_DATA_DIR");
        String root = System.getenv("PRUNELAB_PROJECT_ROOT");
        Path dir = (dataDir != null ? Path.of(dataDir) : Path.of(root != null ? root : "..", "data")).resolve("mnist");
        assertTrue(Files.isRegularFile(dir.resolve("SHA256SUMS")), "no " + dir + "/SHA256SUMS: run 'make data'");
        return dir;
    }

    @Test
    void checksumsMatch() throws IOException {
        Path dir = mnistDir();
        for (String line : Files.readAllLines(dir.resolve("SHA256SUMS"))) {
            String[] parts = line.split(" [ *]", 2);
            assertEquals(parts[0], Digests.sha256(dir.resolve(parts[1])), line);
        }
    }

    @Test
    void loadsAndEveryPrefixIsClassBalancedForTheNpmImport() throws IOException {
        Path dir = mnistDir();
        DatasetSplits splits = DatasetLoader.load(dir, "idx");
        assertEquals(28, splits.train().rows());
        assertEquals(28, splits.train().cols());
        if (!Files.readString(dir.resolve("SOURCE.txt")).contains("NpmMnistImporter")) {
            assertEquals(60000, splits.train().count(), "MNIST_DIR holds the official split");
            assertEquals(10000, splits.test().count());
            return;
        }
        assertEquals(7996, splits.train().count());
        assertEquals(2004, splits.test().count());
        int[] firstHundred = splits.train().head(100).classCounts();
        for (int c = 0; c < ImageDataset.CLASSES; c++) {
            assertEquals(10, firstHundred[c], "class " + c + " in the first 100 train images");
        }
        assertTrue(splits.train().binarize(0.5, 1)[0] == 0.0, "the top-left pixel of a digit is background");
    }
}
