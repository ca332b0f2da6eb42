package org.prunelab.io;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The one CSV writer: a table of rows (column name to value) written atomically as RFC 4180 CSV
 * with a header. Columns are the leading ones given, then every other key of the rows in the order
 * first seen, so per-epoch histories whose later epochs gain a metric keep one rectangular table;
 * a row without a column gets an empty cell.
 */
public final class CsvTable {
    private CsvTable() {
    }

    public static void write(Path file, List<Map<String, Object>> rows) throws IOException {
        write(file, List.of(), rows);
    }

    public static void write(Path file, List<String> leadingColumns, List<Map<String, Object>> rows) throws IOException {
        AtomicFiles.writeString(file, format(leadingColumns, rows));
    }

    /** The CSV text {@link #write} would write. */
    public static String format(List<String> leadingColumns, List<Map<String, Object>> rows) throws IOException {
        Set<String> columns = new LinkedHashSet<>(leadingColumns);
        rows.forEach(row -> columns.addAll(row.keySet()));
        StringWriter text = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(text, CSVFormat.DEFAULT.builder()
                .setHeader(columns.toArray(String[]::new)).build())) {
            for (Map<String, Object> row : rows) {
                List<Object> values = new ArrayList<>(columns.size());
                for (String column : columns) {
                    values.add(row.getOrDefault(column, ""));
                }
                csv.printRecord(values);
            }
        }
        return text.toString();
    }
}
