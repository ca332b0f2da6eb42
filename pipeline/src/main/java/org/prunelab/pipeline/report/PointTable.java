package org.prunelab.pipeline.report;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.prunelab.pipeline.store.StepManifest;
import org.prunelab.pipeline.store.StepStore;

/** The rows of a sweep report: one per finished point (final metrics) or one per line of a step's CSV. */
public final class PointTable {
    private PointTable() {
    }

    public static List<Map<String, Object>> rows(StudySettings settings, List<FinishedPoint> results,
                                                 StepStore store) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        String table = settings.table();
        for (FinishedPoint point : results) {
            Map<String, Object> base = new LinkedHashMap<>();
            base.put("point", point.index());
            base.putAll(point.axes());
            addConfigColumns(base, settings, point);
            if (table.equals("metrics")) {
                StepManifest manifest = point.manifests().get(settings.step());
                if (manifest == null) {
                    throw new IllegalArgumentException("report.step: no step '" + settings.step() + "'");
                }
                Map<String, Object> row = new LinkedHashMap<>(base);
                row.putAll(manifest.finalMetrics());
                if (!settings.join().equals("-")) {
                    StepManifest joined = point.manifests().get(settings.join());
                    if (joined == null) {
                        throw new IllegalArgumentException("report.join: no step '" + settings.join() + "'");
                    }
                    row.putAll(joined.finalMetrics());
                }
                rows.add(row);
                continue;
            }
            int slash = table.indexOf('/');
            if (slash <= 0 || table.contains("..")) {
                throw new IllegalArgumentException("report.table must be 'metrics' or STEP/FILE.csv, got " + table);
            }
            StepManifest manifest = point.manifests().get(table.substring(0, slash));
            if (manifest == null) {
                throw new IllegalArgumentException("report.table: no step '" + table.substring(0, slash) + "'");
            }
            Path file = store.committedDir(manifest.kind(), manifest.identity().substring(0, 16))
                    .resolve(table.substring(slash + 1));
            try (Reader reader = Files.newBufferedReader(file);
                 CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                         .parse(reader)) {
                for (CSVRecord record : csv) {
                    Map<String, Object> row = new LinkedHashMap<>(base);
                    for (String column : csv.getHeaderNames()) {
                        row.put(column, parse(record.get(column)));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /**
     * Config values the report names (x, group, the prediction's grouping column) but that are not
     * sweep axes — e.g. a key set inside a variant — read from the resolved config of the point's steps.
     */
    private static void addConfigColumns(Map<String, Object> row, StudySettings settings, FinishedPoint point) {
        for (String column : List.of(settings.x(), settings.group(), settings.predictBy())) {
            if (column.equals("-") || row.containsKey(column)) {
                continue;
            }
            for (StepManifest m : point.manifests().values()) {
                // params hold every resolved value, defaults included (config omits keys at their default)
                if (m.params() != null && m.params().containsKey(column)) {
                    row.put(column, m.params().get(column));
                    break;
                }
            }
        }
    }

    private static Object parse(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return text;
        }
    }

    static double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(value));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
