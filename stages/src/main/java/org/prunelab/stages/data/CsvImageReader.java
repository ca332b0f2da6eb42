package org.prunelab.stages.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads images from CSV in the common "MNIST in CSV" layout: one image per line, the label first,
 * then rows·cols pixel values 0..255. A header line is optional ({@link CsvHeader}: {@code auto}
 * recognises one only when every field of the first line is non-numeric and refuses a mixed line).
 * A UTF-8 byte-order mark is skipped. Blank lines are skipped.
 *
 * <p>Errors name the file, the 1-based line and, for a bad value, the 1-based column (column 1 is
 * the label). Line numbers assume one record per line, which holds for numeric data; a quoted field
 * spanning lines is not an integer and is rejected anyway.
 */
public final class CsvImageReader {
    public static final int MNIST_SIDE = 28;

    // Empty lines are kept as records (and skipped here) so that record numbers stay line numbers.
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setIgnoreEmptyLines(false)
            .setTrim(true)
            .build();

    private CsvImageReader() {
    }

    /** 28×28 images, i.e. 785 columns per line, header detected ({@link CsvHeader#AUTO}). */
    public static ImageDataset read(Path csv) throws IOException {
        return read(csv, MNIST_SIDE, MNIST_SIDE, CsvHeader.AUTO);
    }

    public static ImageDataset read(Path csv, CsvHeader header) throws IOException {
        return read(csv, MNIST_SIDE, MNIST_SIDE, header);
    }

    public static ImageDataset read(Path csv, int rows, int cols) throws IOException {
        return read(csv, rows, cols, CsvHeader.AUTO);
    }

    public static ImageDataset read(Path csv, int rows, int cols, CsvHeader header) throws IOException {
        int features = rows * cols;
        int columns = 1 + features;
        ByteArrayOutputStream pixels = new ByteArrayOutputStream(1 << 20);
        int[] labels = new int[1024];
        int count = 0;
        boolean sawFirstRecord = false;
        boolean sawHeader = false;
        byte[] row = new byte[features];

        try (Reader reader = withoutByteOrderMark(Files.newBufferedReader(csv, StandardCharsets.UTF_8));
             CSVParser parser = CSVParser.parse(reader, FORMAT)) {
            for (CSVRecord record : parser) {
                long line = record.getRecordNumber();
                if (record.size() == 1 && record.get(0).isEmpty()) {
                    continue; // blank line
                }
                if (!sawFirstRecord) {
                    sawFirstRecord = true;
                    if (isHeader(csv, line, record, header, columns)) {
                        sawHeader = true;
                        continue;
                    }
                }
                if (record.size() != columns) {
                    throw DataFormatException.atLine(csv, line, "wrong column count: expected " + columns
                            + " (label + " + rows + "x" + cols + " pixels), found " + record.size());
                }
                int label = parseInt(csv, line, 1, record.get(0), "label");
                if (label < 0 || label >= ImageDataset.CLASSES) {
                    throw DataFormatException.at(csv, line, 1, "label " + label + " is out of range 0.."
                            + (ImageDataset.CLASSES - 1));
                }
                for (int j = 0; j < features; j++) {
                    int column = j + 2;
                    int value = parseInt(csv, line, column, record.get(j + 1), "pixel");
                    if (value < 0 || value > 255) {
                        throw DataFormatException.at(csv, line, column, "pixel " + value + " is out of range 0..255");
                    }
                    row[j] = (byte) value;
                }
                pixels.write(row);
                if (count == labels.length) {
                    labels = Arrays.copyOf(labels, labels.length * 2);
                }
                labels[count++] = label;
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new DataFormatException(csv, "not UTF-8 text (a binary file, or another encoding?)", e);
        } catch (java.io.UncheckedIOException e) {
            if (e.getCause() instanceof java.nio.charset.CharacterCodingException) {
                throw new DataFormatException(csv, "not UTF-8 text (a binary file, or another encoding?)", e);
            }
            // commons-csv's iterator wraps parse errors (e.g. an unterminated quote).
            throw new DataFormatException(csv, "not valid CSV: " + e.getCause().getMessage(), e);
        }
        if (count == 0) {
            throw new DataFormatException(csv, sawHeader ? "empty file: a header but no data rows"
                    : "empty file: no data rows");
        }
        return ImageDataset.adopt(pixels.toByteArray(), Arrays.copyOf(labels, count), rows, cols,
                csv.getFileName().toString());
    }

    /** Skips a leading U+FEFF, which editors on Windows put in front of UTF-8 files. */
    private static Reader withoutByteOrderMark(java.io.BufferedReader reader) throws IOException {
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
        return reader;
    }

    /** Whether the first record is a header, per {@link CsvHeader}; ambiguity is an error, never a guess. */
    private static boolean isHeader(Path csv, long line, CSVRecord record, CsvHeader mode, int columns)
            throws DataFormatException {
        int numeric = 0;
        for (String field : record) {
            if (looksNumeric(field)) {
                numeric++;
            }
        }
        switch (mode) {
            case FALSE:
                return false;
            case TRUE:
                if (numeric == record.size() && record.size() == columns) {
                    throw DataFormatException.atLine(csv, line, "data.header is true, but this line is a data"
                            + " row (every field is a number); set data.header: false (or auto) so that it is"
                            + " not dropped");
                }
                return true;
            default:
                if (numeric == record.size()) {
                    return false;
                }
                if (numeric == 0) {
                    return true;
                }
                throw DataFormatException.atLine(csv, line, "cannot tell whether this line is a header or a"
                        + " damaged data row (" + numeric + " of " + record.size() + " fields are numbers, e.g."
                        + " field 1 is '" + abbreviate(record.get(0)) + "'); set data.header: true if it is a"
                        + " header, or fix the row");
        }
    }

    private static boolean looksNumeric(String field) {
        try {
            Double.parseDouble(field);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static int parseInt(Path csv, long line, int column, String text, String what) throws DataFormatException {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw DataFormatException.at(csv, line, column, what + " '" + abbreviate(text) + "' is not an integer");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 20 ? text : text.substring(0, 20) + "...";
    }
}
