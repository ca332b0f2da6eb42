package org.prunelab.stages.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, finding 6: a byte-order mark made the first data row look like a header and it was
 * dropped (299 of 300 rows); a damaged first row was dropped the same way. Header detection now
 * never drops a row silently.
 */
class CsvHeaderDetectionTest {
    @TempDir
    Path dir;

    /** {@code n} rows of 2x2 images (5 columns), labels 0..9 cycling, pixels from the row number. */
    private static String rows(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i % 10).append(',').append(i % 256).append(",0,255,").append((i * 7) % 256).append('\n');
        }
        return b.toString();
    }

    private Path write(String name, byte[] prefix, String text) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(prefix);
        bytes.write(text.getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve(name);
        Files.write(file, bytes.toByteArray());
        return file;
    }

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @Test
    void byteOrderMarkWithoutHeaderKeepsEveryRow() throws Exception {
        Path csv = write("bom.csv", BOM, rows(300));
        ImageDataset d = CsvImageReader.read(csv, 2, 2, CsvHeader.AUTO);
        assertEquals(300, d.count());
        assertEquals(0, d.label(0));
        assertEquals(0, d.pixel(0, 0));
    }

    @Test
    void byteOrderMarkBeforeAHeaderSkipsOnlyTheHeader() throws Exception {
        Path csv = write("bom-header.csv", BOM, "label,p1,p2,p3,p4\n" + rows(5));
        assertEquals(5, CsvImageReader.read(csv, 2, 2, CsvHeader.AUTO).count());
    }

    @Test
    void damagedFirstRowIsAnErrorNotADroppedRow() throws Exception {
        Path csv = write("bad-first.csv", new byte[0], "x7,0,0,255,3\n" + rows(4));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvImageReader.read(csv, 2, 2, CsvHeader.AUTO));
        assertTrue(e.getMessage().contains("bad-first.csv") && e.getMessage().contains("line 1")
                && e.getMessage().contains("data.header"), e.getMessage());
    }

    @Test
    void numberNamedHeaderIsAmbiguousUnderAutoAndAcceptedWhenDeclared() throws Exception {
        Path csv = write("pandas.csv", new byte[0], "label,0,1,2,3\n" + rows(4));
        assertThrows(DataFormatException.class, () -> CsvImageReader.read(csv, 2, 2, CsvHeader.AUTO));
        assertEquals(4, CsvImageReader.read(csv, 2, 2, CsvHeader.TRUE).count());
    }

    @Test
    void headerTrueRefusesToDropADataRow() throws Exception {
        Path csv = write("no-header.csv", new byte[0], rows(4));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvImageReader.read(csv, 2, 2, CsvHeader.TRUE));
        assertTrue(e.getMessage().contains("no-header.csv: line 1") && e.getMessage().contains("data row"),
                e.getMessage());
    }

    @Test
    void headerFalseReadsTheFirstLineAsDataAndNamesItsBadField() throws Exception {
        Path csv = write("header-but-false.csv", new byte[0], "label,a,b,c,d\n" + rows(2));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvImageReader.read(csv, 2, 2, CsvHeader.FALSE));
        assertTrue(e.getMessage().contains("line 1, column 1") && e.getMessage().contains("'label'"), e.getMessage());
        assertEquals(4, CsvImageReader.read(write("plain.csv", new byte[0], rows(4)), 2, 2, CsvHeader.FALSE).count());
    }

    @Test
    void latin1BytesAreNamedAsNotUtf8() throws Exception {
        Path csv = write("latin1.csv", new byte[] {'l', 'a', 'b', (byte) 0xE9, 'l', '\n'}, rows(2));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvImageReader.read(csv, 2, 2, CsvHeader.AUTO));
        assertTrue(e.getMessage().contains("latin1.csv") && e.getMessage().contains("not UTF-8"), e.getMessage());
    }
}
