package org.prunelab.stages.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Constants of the IDX format (LeCun's MNIST layout: big-endian ints, unsigned-byte payload) and the
 * four standard MNIST/Fashion-MNIST file names.
 */
public final class IdxFormat {
    private IdxFormat() {
    }

    /** Magic of a rank-3 unsigned-byte tensor: images (count, rows, cols). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic of a rank-1 unsigned-byte tensor: labels (count). */
    public static final int LABELS_MAGIC = 0x00000801;
    public static final int IMAGES_HEADER_BYTES = 16;
    public static final int LABELS_HEADER_BYTES = 8;

    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /**
     * The file for a standard name in {@code dir}: the uncompressed one if present, else {@code .gz}.
     * (The reader detects gzip by its magic bytes, so a mislabelled file still reads.)
     */
    public static Path resolve(Path dir, String standardName) throws IOException {
        Path raw = dir.resolve(standardName);
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        Path gz = dir.resolve(standardName + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new NoSuchFileException(raw.toString(), null, "neither " + standardName + " nor " + standardName
                + ".gz exists in " + dir);
    }

    static String hex(int magic) {
        return String.format("0x%08X", magic);
    }
}
