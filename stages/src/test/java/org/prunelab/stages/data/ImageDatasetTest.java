package org.prunelab.stages.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ImageDatasetTest {
    // Two 1×3 images: pixels 0, 127, 128 and 255, 1, 64.
    private final ImageDataset data = new ImageDataset(
            new byte[] {0, 127, (byte) 128, (byte) 255, 1, 64}, new int[] {3, 8}, 1, 3, "unit");

    @Test
    void binarizeIsStrictlyGreaterThanThreshold() {
        // 127/255 = 0.498..., 128/255 = 0.501...
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0}, data.binarize(0.5, 2));
        // Exactly at the threshold stays 0: 255/255 = 1.0 is not > 1.0.
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0}, data.binarize(1.0, 2));
        // Threshold 0 keeps precisely the non-black pixels.
        assertArrayEquals(new double[] {0, 1, 1, 1, 1, 1}, data.binarize(0.0, 2));
        assertArrayEquals(new double[] {0, 0, 1}, data.binarize(0.5, 1), "limit 1 gives only the first image");
    }

    @Test
    void binarizeRejectsNaN() {
        assertThrows(IllegalArgumentException.class, () -> data.binarize(Double.NaN, 2));
    }

    @Test
    void unitIntervalAndMeans() {
        assertArrayEquals(new double[] {0, 127 / 255.0, 128 / 255.0, 1.0, 1 / 255.0, 64 / 255.0},
                data.toUnitInterval(2), 1e-15);
        assertArrayEquals(new double[] {255 / 510.0, 128 / 510.0, 192 / 510.0}, data.pixelMeans(2), 1e-15);
        assertArrayEquals(new double[] {0, 127 / 255.0, 128 / 255.0}, data.pixelMeans(1), 1e-15);
    }

    @Test
    void limitsBeyondTheDatasetMeanAllAndNegativeIsAnError() {
        assertEquals(6, data.toUnitInterval(1000).length);
        assertSame(data, data.head(5));
        assertThrows(IllegalArgumentException.class, () -> data.toUnitInterval(-1));
    }

    @Test
    void headKeepsTheFirstImages() {
        ImageDataset first = data.head(1);
        assertEquals(1, first.count());
        assertArrayEquals(new int[] {3}, first.labels());
        assertArrayEquals(new byte[] {0, 127, (byte) 128}, first.pixels());
        assertEquals(3, first.features());
    }

    @Test
    void isImmutable() {
        byte[] pixels = {1, 2, 3};
        int[] labels = {4};
        ImageDataset d = new ImageDataset(pixels, labels, 1, 3, "x");
        pixels[0] = 99;
        labels[0] = 5;
        d.pixels()[1] = 99;
        d.labels()[0] = 6;
        assertArrayEquals(new byte[] {1, 2, 3}, d.pixels());
        assertArrayEquals(new int[] {4}, d.labels());
    }

    @Test
    void rejectsInconsistentArrays() {
        assertThrows(IllegalArgumentException.class, () -> new ImageDataset(new byte[5], new int[2], 1, 3, "x"));
        assertThrows(IllegalArgumentException.class, () -> new ImageDataset(new byte[3], new int[] {10}, 1, 3, "x"));
    }

    @Test
    void classCounts() {
        int[] counts = data.classCounts();
        assertEquals(1, counts[3]);
        assertEquals(1, counts[8]);
        assertEquals(2, java.util.Arrays.stream(counts).sum());
    }
}
