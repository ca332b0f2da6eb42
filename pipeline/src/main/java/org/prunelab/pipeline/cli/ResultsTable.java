package org.prunelab.pipeline.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.prunelab.stages.config.ConfigException;

/**
 * A table of points × (params, metrics) that can be filtered, sorted and printed as aligned text,
 * CSV or Markdown. Cells are strings or numbers; numbers sort numerically and print with 6
 * significant digits, so the text form and the CSV agree.
 */
final class ResultsTable {
    enum Format { TABLE, CSV, MARKDOWN }

    private final List<String> columns;
    private final List<Map<String, Object>> rows;

    ResultsTable(List<Map<String, Object>> rows) {
        Set<String> cols = new LinkedHashSet<>();
        rows.forEach(r -> cols.addAll(r.keySet()));
        this.columns = new ArrayList<>(cols);
        this.rows = rows;
    }

    List<String> columns() {
        return columns;
    }

    List<Map<String, Object>> rows() {
        return rows;
    }

    /** {@code key=value} (equal), {@code key>value} or {@code key<value} (numeric). */
    ResultsTable filter(String condition) {
        int at = indexOfOperator(condition);
        if (at <= 0 || at == condition.length() - 1) {
            throw new ConfigException("--filter '" + condition + "': expected KEY=VALUE, KEY>NUMBER or KEY<NUMBER");
        }
        String key = condition.substring(0, at);
        char op = condition.charAt(at);
        String value = condition.substring(at + 1);
        requireColumn(key, "--filter");
        List<Map<String, Object>> kept = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Object cell = row.get(key);
            if (cell == null) {
                continue;
            }
            boolean match;
            if (op == '=') {
                match = cell instanceof Number n && isNumber(value) ? n.doubleValue() == Double.parseDouble(value)
                        : text(cell).equals(value);
            } else {
                if (!isNumber(value)) {
                    throw new ConfigException("--filter '" + condition + "': '" + value + "' is not a number");
                }
                match = cell instanceof Number n && (op == '>' ? n.doubleValue() > Double.parseDouble(value)
                        : n.doubleValue() < Double.parseDouble(value));
            }
            if (match) {
                kept.add(row);
            }
        }
        return new ResultsTable(kept, columns);
    }

    /** By one column, ascending; a leading '-' sorts descending. Rows without the value go last. */
    ResultsTable sort(String spec) {
        boolean descending = spec.startsWith("-");
        String key = descending ? spec.substring(1) : spec;
        requireColumn(key, "--sort");
        Comparator<Object> cells = (a, b) -> {
            if (a instanceof Number x && b instanceof Number y) {
                return Double.compare(x.doubleValue(), y.doubleValue());
            }
            return text(a).compareTo(text(b));
        };
        if (descending) {
            cells = cells.reversed();
        }
        Comparator<Object> finalCells = cells;
        List<Map<String, Object>> sorted = new ArrayList<>(rows);
        sorted.sort((r1, r2) -> {
            Object a = r1.get(key);
            Object b = r2.get(key);
            if (a == null || b == null) {
                return a == null ? (b == null ? 0 : 1) : -1;
            }
            return finalCells.compare(a, b);
        });
        return new ResultsTable(sorted, columns);
    }

    void print(Format format, PrintStream out) {
        switch (format) {
            case CSV -> {
                out.println(String.join(",", columns.stream().map(ResultsTable::csv).toList()));
                for (Map<String, Object> row : rows) {
                    out.println(String.join(",", columns.stream().map(c -> csv(text(row.get(c)))).toList()));
                }
            }
            case MARKDOWN -> {
                out.println("| " + String.join(" | ", columns) + " |");
                out.println("|" + "---|".repeat(columns.size()));
                for (Map<String, Object> row : rows) {
                    out.println("| " + String.join(" | ", columns.stream().map(c -> text(row.get(c)).replace("|", "\\|"))
                            .toList()) + " |");
                }
            }
            default -> {
                Map<String, Integer> width = new LinkedHashMap<>();
                columns.forEach(c -> width.put(c, c.length()));
                rows.forEach(r -> columns.forEach(c -> width.merge(c, text(r.get(c)).length(), Math::max)));
                StringBuilder header = new StringBuilder();
                columns.forEach(c -> header.append(pad(c, width.get(c), false)).append("  "));
                out.println(header.toString().stripTrailing());
                for (Map<String, Object> row : rows) {
                    StringBuilder line = new StringBuilder();
                    columns.forEach(c -> line.append(pad(text(row.get(c)), width.get(c), row.get(c) instanceof Number))
                            .append("  "));
                    out.println(line.toString().stripTrailing());
                }
            }
        }
    }

    private ResultsTable(List<Map<String, Object>> rows, List<String> columns) {
        this.columns = columns;
        this.rows = rows;
    }

    private void requireColumn(String key, String option) {
        if (!columns.contains(key)) {
            throw new ConfigException(option + ": no column '" + key + "'; columns are " + columns);
        }
    }

    private static int indexOfOperator(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=' || c == '<' || c == '>') {
                return i;
            }
        }
        return -1;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static String text(Object cell) {
        if (cell == null) {
            return "";
        }
        if (cell instanceof Double || cell instanceof Float) {
            double d = ((Number) cell).doubleValue();
            return Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2")
                    .replaceFirst("\\.(e|$)", "$1") : String.valueOf(d);
        }
        return String.valueOf(cell);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }
}
