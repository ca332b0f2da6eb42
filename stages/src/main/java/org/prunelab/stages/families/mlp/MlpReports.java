package org.prunelab.stages.families.mlp;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.prunelab.stages.io.AtomicFiles;

/** Small CSV writer for per-epoch and per-step tables (columns = union of row keys, in first-seen order). */
public final class MlpReports {
    private MlpReports() {
    }

    public static void writeCsv(Path file, List<Map<String, Object>> rows, List<String> header) throws IOException {
        List<String> columns = new ArrayList<>(header);
        for (Map<String, Object> row : rows) {
            for (String key : row.keySet()) {
                if (!columns.contains(key)) {
                    columns.add(key);
                }
            }
        }
        StringWriter text = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(text, CSVFormat.DEFAULT.builder()
                .setHeader(columns.toArray(String[]::new)).build())) {
            for (Map<String, Object> row : rows) {
                List<Object> values = new ArrayList<>();
                for (String c : columns) {
                    values.add(row.getOrDefault(c, ""));
                }
                csv.printRecord(values);
            }
        }
        AtomicFiles.writeString(file, text.toString());
    }
}
