package org.prunelab.stages.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Hand-built IDX files for tests, so that each can be broken in exactly one way. */
final class IdxBytes {
    private IdxBytes() {
    }

    static byte[] images(int magic, int count, int rows, int cols, byte[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(16 + pixels.length);
        b.putInt(magic).putInt(count).putInt(rows).putInt(cols).put(pixels);
        return b.array();
    }

    static byte[] images(int count, int rows, int cols, byte[] pixels) {
        return images(IdxFormat.IMAGES_MAGIC, count, rows, cols, pixels);
    }

    static byte[] labels(int magic, int count, byte[] labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(magic).putInt(count).put(labels);
        return b.array();
    }

    static byte[] labels(byte... labels) {
        return labels(IdxFormat.LABELS_MAGIC, labels.length, labels);
    }

    /** count images of rows×cols whose pixel j of image i is (i*16 + j) mod 256. */
    static byte[] pattern(int count, int features) {
        byte[] p = new byte[count * features];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < features; j++) {
                p[i * features + j] = (byte) (i * 16 + j);
            }
        }
        return p;
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    static Path write(Path dir, String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
