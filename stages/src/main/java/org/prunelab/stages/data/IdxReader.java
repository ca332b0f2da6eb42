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
    /** How far past the announced end a gzip stream is inflated just to say how much garbage follows. */
    private static final long MAX_TRAILING_REPORTED = 1 << 20;

    private IdxReader() {
    }

    public static ImageDataset read(Path images, Path labels) throws IOException {
        IdxFile img = readIdx(images, IdxFormat.IMAGES_MAGIC, IdxFormat.IMAGES_HEADER_BYTES,
                "IDX3 unsigned-byte images", IdxReader::pixelBytes, "pixel data");
        int count = img.header.getInt(4);
        int rows = img.header.getInt(8);
        int cols = img.header.getInt(12);

        IdxFile lab = readIdx(labels, IdxFormat.LABELS_MAGIC, IdxFormat.LABELS_HEADER_BYTES,
                "IDX1 unsigned-byte labels", (file, header) -> {
                    int labelCount = header.getInt(4);
                    if (labelCount != count) {
                        throw new DataFormatException(file, "count mismatch: " + Integer.toUnsignedString(labelCount)
                                + " labels, but " + images.getFileName() + " has " + count + " images");
                    }
                    return count;
                }, "label data");

        int[] labelValues = new int[count];
        for (int i = 0; i < count; i++) {
            int label = Byte.toUnsignedInt(lab.payload[i]);
            if (label >= ImageDataset.CLASSES) {
                throw new DataFormatException(labels, "label " + label + " at index " + i + " is out of range 0.."
                        + (ImageDataset.CLASSES - 1));
            }
            labelValues[i] = label;
        }
        return ImageDataset.adopt(img.payload, labelValues, rows, cols, images.getFileName() + " + " + labels.getFileName());
    }

    /** The header's promise of how many payload bytes follow, checked before anything is allocated. */
    @FunctionalInterface
    private interface PayloadSize {
        long bytes(Path file, ByteBuffer header) throws IOException;
    }

    private record IdxFile(ByteBuffer header, byte[] payload) { }

    private static long pixelBytes(Path images, ByteBuffer header) throws IOException {
        int count = header.getInt(4);
        int rows = header.getInt(8);
        int cols = header.getInt(12);
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
        return pixelBytes;
    }

    /**
     * Reads one IDX file in a single streaming pass that never inflates more than the header
     * promises: magic, header, the payload size it implies (validated and compared with the heap
     * before the array is allocated), exactly that many bytes, then a check that nothing follows.
     * A gzip bomb therefore costs at most one byte beyond the announced size, and its error names
     * the file.
     */
    private static IdxFile readIdx(Path file, int magic, int headerBytes, String what, PayloadSize size,
                                   String payloadName) throws IOException {
        long rawSize = Files.size(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            boolean gzipped = b0 == 0x1f && b1 == 0x8b;
            try (InputStream in = gzipped ? new GZIPInputStream(raw, 1 << 16) : raw) {
                byte[] head = in.readNBytes(headerBytes);
                requireMagic(file, head, magic, what);
                requireHeader(file, head.length, headerBytes);
                ByteBuffer header = ByteBuffer.wrap(head); // big-endian, as IDX is
                long expected = size.bytes(file, header);
                if (!gzipped) {
                    requirePayload(file, rawSize - headerBytes, expected, payloadName);
                }
                long heapLeft = Runtime.getRuntime().maxMemory() / 2;
                if (expected > heapLeft) {
                    throw new DataFormatException(file, "the header announces " + expected + " bytes of "
                            + payloadName + ", more than half of this JVM's memory (" + heapLeft * 2
                            + " bytes); raise -Xmx or check the file");
                }
                // readNBytes(int) grows its buffer as bytes arrive: a header that lies about a huge
                // size costs memory only for the bytes that are really there.
                byte[] payload = in.readNBytes((int) expected);
                if (payload.length < expected) {
                    requirePayload(file, payload.length, expected, payloadName);
                }
                if (in.read() != -1) {
                    long extra = 1 + in.skip(MAX_TRAILING_REPORTED);
                    throw new DataFormatException(file, "trailing garbage: " + (extra > MAX_TRAILING_REPORTED
                            ? "more than " + MAX_TRAILING_REPORTED : extra) + " bytes after the " + expected
                            + " bytes of " + payloadName);
                }
                return new IdxFile(header, payload);
            } catch (ZipException | EOFException e) {
                throw new DataFormatException(file, "corrupt or truncated gzip stream (" + e.getMessage() + ")", e);
            }
        }
    }

    private static void requireHeader(Path file, long length, int headerBytes) throws IOException {
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
