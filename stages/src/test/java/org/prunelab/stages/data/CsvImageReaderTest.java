package org.prunelab.stages.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvImageReaderTest {
    @TempDir
    Path dir;

    private Path csv(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    /** 2×2 images: label + 4 pixels per line. */
    private DataFormatException failure2x2(Path file) {
        return assertThrows(DataFormatException.class, () -> CsvImageReader.read(file, 2, 2));
    }

    private static void assertMessage(DataFormatException e, String... fragments) {
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
    }

    @Test
    void readsWithoutHeader() throws IOException {
        ImageDataset d = CsvImageReader.read(csv("plain.csv", "3,0,1,254,255\n9,10,20,30,40\n"), 2, 2);
        assertEquals(2, d.count());
        assertArrayEquals(new int[] {3, 9}, d.labels());
        assertArrayEquals(new byte[] {0, 1, (byte) 254, (byte) 255, 10, 20, 30, 40}, d.pixels());
        assertEquals("plain.csv", d.source());
    }

    @Test
    void skipsHeaderAndBlankLinesAndToleratesSpaces() throws IOException {
        ImageDataset d = CsvImageReader.read(csv("h.csv", "label,1x1,1x2,2x1,2x2\r\n\r\n 5, 1 ,2,3,4\r\n\r\n6,5,6,7,8"), 2, 2);
        assertArrayEquals(new int[] {5, 6}, d.labels());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, d.pixels());
    }

    @Test
    void readsFullSizeMnistRows() throws IOException {
        StringJoiner line = new StringJoiner(",", "", "\n");
        line.add("4");
        for (int j = 0; j < 784; j++) {
            line.add(Integer.toString(j % 256));
        }
        ImageDataset d = CsvImageReader.read(csv("mnist_train.csv", line.toString()));
        assertEquals(28, d.rows());
        assertEquals(784, d.features());
        assertEquals(255, d.pixel(0, 255));
        assertEquals(0, d.pixel(0, 256));
    }

    @Test
    void wrongColumnCount() throws IOException {
        Path f = csv("cols.csv", "1,1,2,3,4\n2,1,2,3\n");
        assertMessage(failure2x2(f), "cols.csv", "line 2", "wrong column count", "expected 5", "found 4");
    }

    @Test
    void lineNumbersCountHeaderAndBlankLines() throws IOException {
        Path f = csv("lines.csv", "label,a,b,c,d\n1,1,2,3,4\n\n2,1,2,3,4,5\n");
        assertMessage(failure2x2(f), "lines.csv", "line 4", "wrong column count");
    }

    @Test
    void nonIntegerPixelNamesLineAndColumn() throws IOException {
        Path f = csv("nonint.csv", "1,1,2,3,4\n2,1,2.5,3,4\n");
        assertMessage(failure2x2(f), "nonint.csv", "line 2, column 3", "pixel '2.5' is not an integer");
    }

    @Test
    void pixelOutOfRange() throws IOException {
        Path f = csv("range.csv", "1,1,2,3,256\n");
        assertMessage(failure2x2(f), "range.csv", "line 1, column 5", "pixel 256 is out of range 0..255");
        Path negative = csv("neg.csv", "1,-1,2,3,4\n");
        assertMessage(failure2x2(negative), "neg.csv", "line 1, column 2", "pixel -1");
    }

    @Test
    void labelOutOfRange() throws IOException {
        Path f = csv("label.csv", "1,1,2,3,4\n10,1,2,3,4\n");
        assertMessage(failure2x2(f), "label.csv", "line 2, column 1", "label 10 is out of range 0..9");
    }

    @Test
    void emptyFile() throws IOException {
        assertMessage(failure2x2(csv("empty.csv", "")), "empty.csv", "empty file");
        assertMessage(failure2x2(csv("blank.csv", "\n\n")), "blank.csv", "empty file");
        assertMessage(failure2x2(csv("header-only.csv", "label,a,b,c,d\n")), "header-only.csv", "header but no data");
    }
}
