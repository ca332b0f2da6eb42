package org.prunelab.stages.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.prunelab.stages.io.Digests;

/**
 * Checks the real data produced by {@code make data}, when {@code make test} exports
 * PRUNELAB_DATA_DIR; skipped otherwise (plain {@code mvn test} without data).
 */
class ImportedMnistTest {
    private static Path mnistDir() {
        String dataDir = System.getenv("PRUNELAB_DATA_DIR");
        assumeTrue(dataDir != null, "PRUNELAB_DATA_DIR not set");
        Path dir = Path.of(dataDir, "mnist");
        assumeTrue(Files.isRegularFile(dir.resolve("SHA256SUMS")), "no " + dir + "/SHA256SUMS: run make data");
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
        assumeTrue(Files.readString(dir.resolve("SOURCE.txt")).contains("NpmMnistImporter"), "not the npm import");
        assertEquals(7996, splits.train().count());
        assertEquals(2004, splits.test().count());
        int[] firstHundred = splits.train().head(100).classCounts();
        for (int c = 0; c < ImageDataset.CLASSES; c++) {
            assertEquals(10, firstHundred[c], "class " + c + " in the first 100 train images");
        }
        assertTrue(splits.train().binarize(0.5, 1)[0] == 0.0, "the top-left pixel of a digit is background");
    }
}
