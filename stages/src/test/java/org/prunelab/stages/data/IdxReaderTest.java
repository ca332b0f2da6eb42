package org.prunelab.stages.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    private static final byte[] THREE_LABELS = {7, 0, 9};

    private Path goodImages(String name) throws IOException {
        return IdxBytes.write(dir, name, IdxBytes.images(3, 2, 3, IdxBytes.pattern(3, 6)));
    }

    private Path goodLabels(String name) throws IOException {
        return IdxBytes.write(dir, name, IdxBytes.labels(THREE_LABELS));
    }

    private DataFormatException expectFailure(Path images, Path labels) {
        return assertThrows(DataFormatException.class, () -> IdxReader.read(images, labels));
    }

    private static void assertMessage(DataFormatException e, String fileName, String... fragments) {
        String m = e.getMessage();
        assertTrue(m.contains(fileName), "message should name " + fileName + ": " + m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "message should contain '" + f + "': " + m);
        }
    }

    @Test
    void readsRawFiles() throws IOException {
        ImageDataset d = IdxReader.read(goodImages("img"), goodLabels("lab"));
        assertEquals(3, d.count());
        assertEquals(2, d.rows());
        assertEquals(3, d.cols());
        assertEquals(6, d.features());
        assertArrayEquals(IdxBytes.pattern(3, 6), d.pixels());
        assertArrayEquals(new int[] {7, 0, 9}, d.labels());
        assertTrue(d.source().contains("img") && d.source().contains("lab"), d.source());
    }

    @Test
    void detectsGzipByContentNotByName() throws IOException {
        byte[] images = IdxBytes.images(3, 2, 3, IdxBytes.pattern(3, 6));
        // gzip content under a plain name, and plain content under a .gz name: both must read.
        Path gzippedImages = IdxBytes.write(dir, "train-images-idx3-ubyte", IdxBytes.gzip(images));
        Path plainLabels = IdxBytes.write(dir, "train-labels-idx1-ubyte.gz", IdxBytes.labels(THREE_LABELS));
        ImageDataset d = IdxReader.read(gzippedImages, plainLabels);
        assertArrayEquals(IdxBytes.pattern(3, 6), d.pixels());
        assertArrayEquals(new int[] {7, 0, 9}, d.labels());
    }

    @Test
    void roundTripsThroughTheWriterRawAndGzipped() throws IOException {
        ImageDataset original = new ImageDataset(IdxBytes.pattern(4, 6), new int[] {1, 2, 3, 4}, 2, 3, "test");
        Path images = dir.resolve("i.idx");
        Path labels = dir.resolve("l.idx");
        IdxWriter.write(original, images, labels);
        ImageDataset raw = IdxReader.read(images, labels);
        assertArrayEquals(original.pixels(), raw.pixels());
        assertArrayEquals(original.labels(), raw.labels());

        Path gzImages = IdxBytes.write(dir, "i.idx.gz", IdxBytes.gzip(java.nio.file.Files.readAllBytes(images)));
        Path gzLabels = IdxBytes.write(dir, "l.idx.gz", IdxBytes.gzip(java.nio.file.Files.readAllBytes(labels)));
        ImageDataset gz = IdxReader.read(gzImages, gzLabels);
        assertArrayEquals(original.pixels(), gz.pixels());
        assertArrayEquals(original.labels(), gz.labels());
    }

    @Test
    void wrongImagesMagicSaysExpectedAndFound() throws IOException {
        Path images = IdxBytes.write(dir, "bad-images", IdxBytes.images(0x00000804, 3, 2, 3, IdxBytes.pattern(3, 6)));
        assertMessage(expectFailure(images, goodLabels("lab")), "bad-images",
                "wrong magic number", "expected 0x00000803", "found 0x00000804");
    }

    @Test
    void swappedFilesAreRecognisedByTheirMagic() throws IOException {
        Path labels = goodLabels("labels-file");
        Path images = goodImages("images-file");
        DataFormatException e = expectFailure(labels, images);
        assertMessage(e, "labels-file", "wrong magic number", "found 0x00000801", "swapped");
    }

    @Test
    void wrongLabelsMagic() throws IOException {
        Path labels = IdxBytes.write(dir, "bad-labels", IdxBytes.labels(0x12345678, 3, THREE_LABELS));
        assertMessage(expectFailure(goodImages("img"), labels), "bad-labels",
                "wrong magic number", "expected 0x00000801", "found 0x12345678");
    }

    @Test
    void truncatedPixelDataSaysHowMuchIsMissing() throws IOException {
        byte[] full = IdxBytes.images(3, 2, 3, IdxBytes.pattern(3, 6));
        Path images = IdxBytes.write(dir, "short-images", Arrays.copyOf(full, full.length - 5));
        assertMessage(expectFailure(images, goodLabels("lab")), "short-images",
                "truncated", "expected 18 bytes of pixel data, found 13");
    }

    @Test
    void truncatedGzipStreamIsAFormatError() throws IOException {
        byte[] gz = IdxBytes.gzip(IdxBytes.images(3, 2, 3, IdxBytes.pattern(3, 6)));
        Path images = IdxBytes.write(dir, "cut.gz", Arrays.copyOf(gz, gz.length / 2));
        assertMessage(expectFailure(images, goodLabels("lab")), "cut.gz", "gzip");
    }

    @Test
    void truncatedHeader() throws IOException {
        Path images = IdxBytes.write(dir, "stub", new byte[] {0, 0, 8, 3, 0, 0});
        assertMessage(expectFailure(images, goodLabels("lab")), "stub", "truncated", "16-byte header");
    }

    @Test
    void truncatedLabels() throws IOException {
        Path labels = IdxBytes.write(dir, "short-labels", IdxBytes.labels(IdxFormat.LABELS_MAGIC, 3, new byte[] {1, 2}));
        assertMessage(expectFailure(goodImages("img"), labels), "short-labels",
                "truncated", "expected 3 bytes of label data, found 2");
    }

    @Test
    void trailingGarbage() throws IOException {
        byte[] images = IdxBytes.concat(IdxBytes.images(3, 2, 3, IdxBytes.pattern(3, 6)), new byte[] {1, 2, 3, 4});
        Path file = IdxBytes.write(dir, "long-images", images);
        assertMessage(expectFailure(file, goodLabels("lab")), "long-images", "trailing garbage", "4 bytes");
    }

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        Path labels = IdxBytes.write(dir, "two-labels", IdxBytes.labels((byte) 1, (byte) 2));
        DataFormatException e = expectFailure(goodImages("three-images"), labels);
        assertMessage(e, "two-labels", "count mismatch", "2 labels", "three-images", "3 images");
    }

    @Test
    void labelOutOfRange() throws IOException {
        Path labels = IdxBytes.write(dir, "bad-label-values", IdxBytes.labels((byte) 1, (byte) 10, (byte) 2));
        assertMessage(expectFailure(goodImages("img"), labels), "bad-label-values",
                "label 10 at index 1", "out of range 0..9");
    }

    @Test
    void labelByteIsUnsigned() throws IOException {
        Path labels = IdxBytes.write(dir, "lab255", IdxBytes.labels((byte) 1, (byte) 0xFF, (byte) 2));
        assertMessage(expectFailure(goodImages("img"), labels), "lab255", "label 255");
    }

    @Test
    void zeroImages() throws IOException {
        Path images = IdxBytes.write(dir, "empty-images", IdxBytes.images(0, 28, 28, new byte[0]));
        Path labels = IdxBytes.write(dir, "empty-labels", IdxBytes.labels());
        assertMessage(expectFailure(images, labels), "empty-images", "zero images");
    }

    @Test
    void absurdDimensions() throws IOException {
        Path images = IdxBytes.write(dir, "huge", IdxBytes.images(3, 100_000, 28, new byte[0]));
        assertMessage(expectFailure(images, goodLabels("lab")), "huge", "absurd dimensions", "100000x28");
        Path tooMany = IdxBytes.write(dir, "too-many", IdxBytes.images(1_000_000, 4096, 4096, new byte[0]));
        assertMessage(expectFailure(tooMany, goodLabels("lab")), "too-many", "absurd dimensions");
    }
}
