package org.prunelab.stages.data.cifar;

/**
 * CIFAR-10 images as read: {@code count} images of 3 × 32 × 32 bytes in channel-major order (the
 * 1,024 red values row by row, then green, then blue — the file's own layout) and a label 0..9 each.
 */
public record CifarImages(int count, byte[] pixels, int[] labels) {
    public static final int CHANNELS = 3, SIDE = 32, PIXELS = CHANNELS * SIDE * SIDE, CLASSES = 10;

    public CifarImages {
        if (pixels.length != (long) count * PIXELS || labels.length != count) {
            throw new IllegalArgumentException(count + " images need " + (long) count * PIXELS + " pixel bytes and "
                    + count + " labels, got " + pixels.length + " and " + labels.length);
        }
    }

    /** Pixel value 0..255 of image i, channel c, row r, column x. */
    public int pixel(int i, int c, int r, int x) {
        return pixels[i * PIXELS + (c * SIDE + r) * SIDE + x] & 0xFF;
    }
}
