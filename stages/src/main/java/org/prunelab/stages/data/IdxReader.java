package org.prunelab.stages.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads an IDX3 images file and its IDX1 labels file (raw or gzip, told apart by content) and checks
 * everything a corrupt or mismatched download could get wrong, naming the file in each error.
 */
public final class IdxReader {
    /** No real image set has sides this large; a bigger value means a wrong or corrupt header. */
    static final int MAX_SIDE = 4096;
    /** Java arrays are indexed by int; leave the JVM's usual head-room. */
    static final long MAX_BYTES = Integer.MAX_VALUE - 8L;

    private IdxReader() {
    }

    public static ImageDataset read(Path images, Path labels) throws IOException {
        byte[] imageFile = readMaybeGzipped(images);
        byte[] labelFile = readMaybeGzipped(labels);

        ByteBuffer img = ByteBuffer.wrap(imageFile); // big-endian, as IDX is
        requireMagic(images, imageFile, IdxFormat.IMAGES_MAGIC, "IDX3 unsigned-byte images");
        requireHeader(images, imageFile.length, IdxFormat.IMAGES_HEADER_BYTES);
        img.getInt(); // the magic, checked above
        int count = img.getInt();
        int rows = img.getInt();
        int cols = img.getInt();
        if (count == 0) {
            throw new DataFormatException(images, "zero images");
        }
        if (count < 0 || rows <= 0 || cols <= 0 || rows > MAX_SIDE || cols > MAX_SIDE) {
            throw new DataFormatException(images, "absurd dimensions: " + Integer.toUnsignedString(count)
                    + " images of " + rows + "x" + cols + " (sides must be 1.." + MAX_SIDE + ")");
        }
        long pixelBytes = (long) count * rows * cols;
        if (pixelBytes > MAX_BYTES) {
            throw new DataFormatException(images, "absurd dimensions: " + count + " images of " + rows + "x" + cols
                    + " need " + pixelBytes + " bytes, more than one array can hold");
        }
        requirePayload(images, imageFile.length - IdxFormat.IMAGES_HEADER_BYTES, pixelBytes, "pixel data");

        requireMagic(labels, labelFile, IdxFormat.LABELS_MAGIC, "IDX1 unsigned-byte labels");
        requireHeader(labels, labelFile.length, IdxFormat.LABELS_HEADER_BYTES);
        ByteBuffer lab = ByteBuffer.wrap(labelFile);
        lab.getInt(); // the magic, checked above
        int labelCount = lab.getInt();
        if (labelCount != count) {
            throw new DataFormatException(labels, "count mismatch: " + Integer.toUnsignedString(labelCount)
                    + " labels, but " + images.getFileName() + " has " + count + " images");
        }
        requirePayload(labels, labelFile.length - IdxFormat.LABELS_HEADER_BYTES, count, "label data");

        int[] labelValues = new int[count];
        for (int i = 0; i < count; i++) {
            int label = Byte.toUnsignedInt(labelFile[IdxFormat.LABELS_HEADER_BYTES + i]);
            if (label >= ImageDataset.CLASSES) {
                throw new DataFormatException(labels, "label " + label + " at index " + i + " is out of range 0.."
                        + (ImageDataset.CLASSES - 1));
            }
            labelValues[i] = label;
        }
        byte[] pixels = new byte[(int) pixelBytes];
        System.arraycopy(imageFile, IdxFormat.IMAGES_HEADER_BYTES, pixels, 0, pixels.length);
        return ImageDataset.adopt(pixels, labelValues, rows, cols, images.getFileName() + " + " + labels.getFileName());
    }

    /** Whole file, inflated if it starts with the gzip magic 1f 8b (file names lie; content does not). */
    static byte[] readMaybeGzipped(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                try (InputStream gz = new GZIPInputStream(raw, 1 << 16)) {
                    return gz.readAllBytes();
                } catch (ZipException | EOFException e) {
                    throw new DataFormatException(file, "corrupt or truncated gzip stream (" + e.getMessage() + ")", e);
                }
            }
            return raw.readAllBytes();
        }
    }

    private static void requireHeader(Path file, int length, int headerBytes) throws IOException {
        if (length < headerBytes) {
            throw new DataFormatException(file, "truncated file: expected a " + headerBytes
                    + "-byte header, found " + length + " bytes");
        }
    }

    private static void requireMagic(Path file, byte[] content, int expected, String what) throws IOException {
        if (content.length < 4) {
            throw new DataFormatException(file, "truncated file: " + content.length
                    + " bytes, too short for the 4-byte magic number (expected " + IdxFormat.hex(expected) + ")");
        }
        int found = ByteBuffer.wrap(content).getInt();
        if (found == expected) {
            return;
        }
        String hint = "";
        if (found == IdxFormat.LABELS_MAGIC || found == IdxFormat.IMAGES_MAGIC) {
            hint = " (that is the magic of the other IDX kind: are images and labels swapped?)";
        }
        throw new DataFormatException(file, "wrong magic number: expected " + IdxFormat.hex(expected) + " (" + what
                + "), found " + IdxFormat.hex(found) + hint);
    }

    private static void requirePayload(Path file, long found, long expected, String what) throws IOException {
        if (found < expected) {
            throw new DataFormatException(file, "truncated file: expected " + expected + " bytes of " + what
                    + ", found " + found);
        }
        if (found > expected) {
            throw new DataFormatException(file, "trailing garbage: " + (found - expected) + " bytes after the "
                    + expected + " bytes of " + what);
        }
    }
}
