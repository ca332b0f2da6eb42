package org.prunelab.stages.data.reber;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.prunelab.stages.data.DataFormatException;

/**
 * The Reber task's file format, as the authors shipped it: a header {@code string,valid}, then one
 * string per line with its label. Labels may be written {@code 1}/{@code 0} or {@code true}/{@code
 * false} (any case); prunelab writes {@code 1}/{@code 0}.
 *
 * <p>Reading is strict, because a silently dropped or mislabelled row changes every accuracy
 * computed from the file: the header is required (a UTF-8 byte-order mark before it is allowed), the
 * two columns are located by name, every string must be non-empty 7-bit ASCII (the model embeds
 * ASCII codes 0..127, and 0 is the padding symbol, so it may not occur), and every error names the
 * file and the line.
 */
public final class ReberCsv {
    public static final String STRING_COLUMN = "string";
    public static final String VALID_COLUMN = "valid";

    private static final CSVFormat READ = CSVFormat.DEFAULT.builder()
            .setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true).setTrim(true).build();
    private static final CSVFormat WRITE = CSVFormat.DEFAULT.builder()
            .setHeader(STRING_COLUMN, VALID_COLUMN).setRecordSeparator("\n").build();

    private ReberCsv() {
    }

    public static ReberSet read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such Reber CSV file");
        }
        List<String> strings = new ArrayList<>();
        List<Boolean> labels = new ArrayList<>();
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
            skipByteOrderMark(reader);
            try (CSVParser parser = CSVParser.parse(reader, READ)) {
                checkHeader(file, parser.getHeaderNames());
                for (CSVRecord record : parser) {
                    long line = parser.getCurrentLineNumber();
                    if (!record.isConsistent()) {
                        throw DataFormatException.atLine(file, line, "expected 2 fields (string,valid), found "
                                + record.size());
                    }
                    strings.add(checkString(file, line, record.get(STRING_COLUMN)));
                    labels.add(parseLabel(file, line, record.get(VALID_COLUMN)));
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                // commons-csv reports malformed quoting and duplicate headers this way.
                throw new DataFormatException(file, "not a valid CSV file: " + e.getMessage());
            }
        } catch (CharacterCodingException e) {
            throw new DataFormatException(file, "not UTF-8 text");
        }
        if (strings.isEmpty()) {
            throw new DataFormatException(file, "has a header but no strings");
        }
        boolean[] v = new boolean[labels.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = labels.get(i);
        }
        return new ReberSet(strings, v);
    }

    private static void skipByteOrderMark(BufferedReader reader) throws IOException {
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
    }

    private static void checkHeader(Path file, List<String> header) throws DataFormatException {
        if (!header.contains(STRING_COLUMN) || !header.contains(VALID_COLUMN)) {
            throw DataFormatException.atLine(file, 1, "the header must name the columns '" + STRING_COLUMN
                    + "' and '" + VALID_COLUMN + "', found " + header);
        }
        if (header.size() != 2) {
            throw DataFormatException.atLine(file, 1, "expected exactly the columns string,valid, found " + header);
        }
    }

    private static String checkString(Path file, long line, String s) throws DataFormatException {
        if (s.isEmpty()) {
            throw DataFormatException.atLine(file, line, "empty string");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c > 127) {
                throw DataFormatException.at(file, line, i + 1, "character U+" + String.format("%04X", (int) c)
                        + " is not 7-bit ASCII 1..127 (the model embeds ASCII codes; 0 is padding)");
            }
        }
        return s;
    }

    private static boolean parseLabel(Path file, long line, String label) throws DataFormatException {
        return switch (label.toLowerCase(java.util.Locale.ROOT)) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw DataFormatException.atLine(file, line, "label '" + label
                    + "' is not one of 1, 0, true, false");
        };
    }

    /** Writes {@code set} to {@code out} (the caller makes the write atomic). */
    public static void write(ReberSet set, Writer out) throws IOException {
        try (CSVPrinter printer = new CSVPrinter(out, WRITE)) {
            for (int i = 0; i < set.size(); i++) {
                printer.printRecord(set.string(i), set.isValid(i) ? "1" : "0");
            }
        }
    }
}
