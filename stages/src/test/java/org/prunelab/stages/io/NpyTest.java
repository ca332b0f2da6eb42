package org.prunelab.stages.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    @Test
    void headerIsNumpyFormatOneAndAlignedTo64Bytes() throws Exception {
        Path file = dir.resolve("x.npy");
        Npy.writeDoubles(file, new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        byte[] bytes = Files.readAllBytes(file);
        int headerLen = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        assertEquals(0, (10 + headerLen) % 64);
        String header = new String(bytes, 10, headerLen, StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"), header);
        assertEquals(10 + headerLen + 48, bytes.length);
    }

    @Test
    void oneDimensionalShapeHasTrailingComma() throws Exception {
        Path file = dir.resolve("v.npy");
        Npy.writeBytes(file, new byte[] {1, 0, 1}, 3);
        String header = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("'shape': (3,)"), header);
        assertArrayEquals(new byte[] {1, 0, 1}, Npy.readBytes(file));
    }

    @Test
    void roundTripKeepsEveryBit() throws Exception {
        double[] data = {0.1, -0.0, Double.NaN, Double.POSITIVE_INFINITY, 1e-320, Math.PI};
        Path file = dir.resolve("r.npy");
        Npy.writeDoubles(file, data, 6);
        double[] back = Npy.readDoubles(file);
        for (int i = 0; i < data.length; i++) {
            assertEquals(Double.doubleToRawLongBits(data[i]), Double.doubleToRawLongBits(back[i]));
        }
    }

    @Test
    void truncatedFileIsReportedWithItsName() throws Exception {
        Path file = dir.resolve("t.npy");
        Npy.writeDoubles(file, new double[100], 100);
        Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(file), 200));
        IOException e = assertThrows(IOException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().contains("t.npy") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void shapeMustMatchData() {
        assertThrows(IllegalArgumentException.class, () -> Npy.writeDoubles(dir.resolve("s.npy"), new double[5], 2, 3));
    }
}
