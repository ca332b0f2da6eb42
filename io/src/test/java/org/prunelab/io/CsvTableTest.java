package org.prunelab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {
    @TempDir
    Path tmp;

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void columnsAreTheLeadingOnesThenEveryKeyInFirstSeenOrder() throws Exception {
        Path file = tmp.resolve("history.csv");
        CsvTable.write(file, List.of("epoch"), List.of(
                row("loss", 0.5, "epoch", 1),
                row("epoch", 2, "loss", 0.25, "ais", -90.5)));
        assertEquals("epoch,loss,ais\r\n1,0.5,\r\n2,0.25,-90.5\r\n", Files.readString(file));
    }

    @Test
    void valuesWithCommasAndQuotesAreQuoted() throws Exception {
        assertEquals("group,n\r\n\"a,\"\"b\"\"\",3\r\n", CsvTable.format(List.of(), List.of(row("group", "a,\"b\"", "n", 3))));
    }

    @Test
    void noRowsAndNoLeadingColumnsGiveOneEmptyHeaderLineAsBeforeTheMerge() throws Exception {
        Path file = tmp.resolve("empty.csv");
        CsvTable.write(file, List.of());
        assertEquals("\r\n", Files.readString(file)); // what all three former writers produced
    }
}
