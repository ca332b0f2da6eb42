package org.prunelab.stages.data;

import java.util.List;
import java.util.Locale;

/**
 * Whether the first line of an image CSV is a header ({@code data.header}). {@code auto} decides
 * only when the answer is clear: every field numeric is data, every field non-numeric (e.g.
 * {@code label,1x1,1x2,...}) is a header; anything in between (a number-named header such as
 * {@code label,0,1,...} or a damaged first data row) is refused, because guessing wrong either
 * drops a data row or fails on a header.
 */
public enum CsvHeader {
    AUTO, TRUE, FALSE;

    public static final List<String> CHOICES = List.of("auto", "true", "false");

    public static CsvHeader parse(String value) {
        if (value == null) {
            return AUTO; // dataset.json written before data.header existed
        }
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
