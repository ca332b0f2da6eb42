package org.prunelab.stages.data.cifar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.data.DataFormatException;

/**
 * Reads the binary version of CIFAR-10 ("CIFAR-10 binary version (suitable for C programs)"): every
 * file is a sequence of 3,073-byte records, one label byte 0..9 followed by 3,072 pixel bytes (red,
 * green, blue planes of 32 × 32, row-major). The training set is {@code data_batch_1.bin} …
 * {@code data_batch_5.bin}, the test set {@code test_batch.bin}, in a directory the user supplies
 * ({@code CIFAR10_DIR}; the data set cannot be downloaded on these machines).
 *
 * <p>Errors name the file and, for a bad record, its 1-based number and byte offset: a file whose
 * length is not a whole number of records is truncated (or not CIFAR-10), an empty file has no
 * records, and a label byte above 9 means the file is damaged or of another data set (CIFAR-100's
 * records have two label bytes and would fail here).
 */
public final class Cifar10Reader {
    public static final int RECORD = 1 + CifarImages.PIXELS;
    public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");
    public static final String TEST_FILE = "test_batch.bin";

    private Cifar10Reader() {
    }

    /** The five training batches, concatenated in order. */
    public static CifarImages train(Path dir) throws IOException {
        List<CifarImages> parts = new ArrayList<>();
        for (String name : TRAIN_FILES) {
            parts.add(read(file(dir, name)));
        }
        return concat(parts);
    }

    public static CifarImages test(Path dir) throws IOException {
        return read(file(dir, TEST_FILE));
    }

    /** The six files of a CIFAR-10 directory, checked to exist (for digests before reading). */
    public static List<Path> files(Path dir) {
        List<Path> files = new ArrayList<>();
        for (String name : TRAIN_FILES) {
            files.add(file(dir, name));
        }
        files.add(file(dir, TEST_FILE));
        return files;
    }

    private static Path file(Path dir, String name) {
        Path f = dir.resolve(name);
        if (!Files.isRegularFile(f)) {
            throw new ConfigException("CIFAR-10 directory " + dir.toAbsolutePath().normalize() + ": missing " + name
                    + " (set CIFAR10_DIR / data.dir to the extracted cifar-10-batches-bin directory)");
        }
        return f;
    }

    public static CifarImages read(Path file) throws IOException {
        long size = Files.size(file);
        if (size == 0) {
            throw new DataFormatException(file, "empty file: a CIFAR-10 batch holds records of " + RECORD + " bytes");
        }
        if (size % RECORD != 0) {
            long complete = size / RECORD;
            throw new DataFormatException(file, "truncated: " + size + " bytes is not a whole number of " + RECORD
                    + "-byte records; record " + (complete + 1) + " (byte offset " + complete * RECORD + ") has only "
                    + (size - complete * RECORD) + " bytes");
        }
        if (size / RECORD > Integer.MAX_VALUE / RECORD) {
            throw new DataFormatException(file, "too large for one CIFAR-10 batch: " + size + " bytes");
        }
        byte[] raw = Files.readAllBytes(file);
        int count = raw.length / RECORD;
        byte[] pixels = new byte[count * CifarImages.PIXELS];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            int label = raw[i * RECORD] & 0xFF;
            if (label >= CifarImages.CLASSES) {
                throw new DataFormatException(file, "record " + (i + 1) + " (byte offset " + (long) i * RECORD
                        + "): label " + label + " is outside 0..9");
            }
            labels[i] = label;
            System.arraycopy(raw, i * RECORD + 1, pixels, i * CifarImages.PIXELS, CifarImages.PIXELS);
        }
        return new CifarImages(count, pixels, labels);
    }

    static CifarImages concat(List<CifarImages> parts) {
        int n = 0;
        for (CifarImages p : parts) {
            n += p.count();
        }
        byte[] pixels = new byte[n * CifarImages.PIXELS];
        int[] labels = new int[n];
        int at = 0;
        for (CifarImages p : parts) {
            System.arraycopy(p.pixels(), 0, pixels, at * CifarImages.PIXELS, p.pixels().length);
            System.arraycopy(p.labels(), 0, labels, at, p.count());
            at += p.count();
        }
        return new CifarImages(n, pixels, labels);
    }
}
