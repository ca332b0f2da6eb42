package org.prunelab.stages.io;

import org.prunelab.io.AtomicFiles;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format 1.0, C order) so that every tensor prunelab
 * writes can be opened with {@code numpy.load}. Supported dtypes: {@code <f8} (doubles) and
 * {@code |u1} (bytes, used for 0/1 masks). Writes are atomic.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** A tensor read from disk: its shape and either doubles or bytes. */
    public record Array(int[] shape, double[] doubles, byte[] bytes) {
        public long size() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    public static void writeDoubles(Path file, double[] data, int... shape) throws IOException {
        checkShape(data.length, shape, file);
        AtomicFiles.write(file, out -> writeDoubles(out, data, shape));
    }

    /** The .npy bytes of {@code data} onto a stream (e.g. an entry of an .npz archive). */
    public static void writeDoubles(OutputStream out, double[] data, int... shape) throws IOException {
        writeHeader(out, "<f8", shape);
        ByteBuffer buf = ByteBuffer.allocate(8 * 8192).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : data) {
            if (!buf.hasRemaining()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putDouble(v);
        }
        out.write(buf.array(), 0, buf.position());
    }

    public static void writeBytes(Path file, byte[] data, int... shape) throws IOException {
        checkShape(data.length, shape, file);
        AtomicFiles.write(file, out -> writeBytes(out, data, shape));
    }

    /** The .npy bytes of {@code data} (dtype u1) onto a stream. */
    public static void writeBytes(OutputStream out, byte[] data, int... shape) throws IOException {
        writeHeader(out, "|u1", shape);
        out.write(data);
    }

    public static double[] readDoubles(Path file) throws IOException {
        Array a = read(file);
        if (a.doubles() == null) {
            throw new IOException(file + ": expected dtype <f8");
        }
        return a.doubles();
    }

    public static byte[] readBytes(Path file) throws IOException {
        Array a = read(file);
        if (a.bytes() == null) {
            throw new IOException(file + ": expected dtype |u1");
        }
        return a.bytes();
    }

    public static Array read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            return read(raw, file);
        }
    }

    /** Reads one array from {@code raw} (not closed); {@code file} names the source in errors. */
    public static Array read(InputStream raw, Path file) throws IOException {
        try {
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16));
            byte[] magic = new byte[6];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + ": not a .npy file (bad magic)");
            }
            int major = in.readUnsignedByte();
            in.readUnsignedByte();
            int headerLen;
            if (major == 1) {
                headerLen = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
            } else {
                headerLen = Integer.reverseBytes(in.readInt());
            }
            byte[] header = new byte[headerLen];
            in.readFully(header);
            String h = new String(header, StandardCharsets.ISO_8859_1);
            String descr = group(DESCR, h, file, "descr");
            if (group(ORDER, h, file, "fortran_order").equals("True")) {
                throw new IOException(file + ": Fortran-ordered arrays are not supported");
            }
            int[] shape = parseShape(group(SHAPE, h, file, "shape"), file);
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            if (n > Integer.MAX_VALUE) {
                throw new IOException(file + ": array too large");
            }
            switch (descr) {
                case "<f8" -> {
                    double[] out = new double[(int) n];
                    byte[] chunk = new byte[8 * 8192];
                    int i = 0;
                    while (i < n) {
                        int count = (int) Math.min(8192, n - i);
                        in.readFully(chunk, 0, count * 8);
                        ByteBuffer bb = ByteBuffer.wrap(chunk, 0, count * 8).order(ByteOrder.LITTLE_ENDIAN);
                        for (int k = 0; k < count; k++) {
                            out[i++] = bb.getDouble();
                        }
                    }
                    return new Array(shape, out, null);
                }
                case "|u1", "|b1" -> {
                    byte[] out = new byte[(int) n];
                    in.readFully(out);
                    return new Array(shape, null, out);
                }
                default -> throw new IOException(file + ": unsupported dtype " + descr);
            }
        } catch (java.io.EOFException e) {
            throw new IOException(file + ": truncated .npy file", e);
        }
    }

    private static String group(Pattern p, String header, Path file, String what) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": .npy header has no " + what);
        }
        return m.group(1);
    }

    private static int[] parseShape(String text, Path file) throws IOException {
        String[] parts = text.split(",");
        return Arrays.stream(parts).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(s -> {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                return -1;
            }
        }).peek(d -> {
            if (d < 0) {
                throw new IllegalArgumentException(file + ": bad shape " + text);
            }
        }).toArray();
    }

    private static void checkShape(int length, int[] shape, Path file) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException(file + ": shape " + Arrays.toString(shape) + " does not hold "
                    + length + " values");
        }
    }

    private static void writeHeader(OutputStream out, String descr, int[] shape) throws IOException {
        StringBuilder s = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            s.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) {
                s.append(shape.length == 1 ? "," : ", ");
            }
        }
        s.append("), }");
        int total = MAGIC.length + 2 + 2 + s.length() + 1;
        int pad = (64 - total % 64) % 64;
        s.append(" ".repeat(pad)).append('\n');
        byte[] header = s.toString().getBytes(StandardCharsets.ISO_8859_1);
        out.write(MAGIC);
        out.write(1);
        out.write(0);
        out.write(header.length & 0xFF);
        out.write((header.length >> 8) & 0xFF);
        out.write(header);
    }
}
