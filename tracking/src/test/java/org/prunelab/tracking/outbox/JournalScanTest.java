package org.prunelab.tracking.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a journal's lines are told apart: intact, damaged, lost, torn (no server needed). */
class JournalScanTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String line(long seq) {
        return "{\"seq\":" + seq + ",\"op\":\"tags\",\"runId\":\"r\",\"enqueuedAt\":1,\"tags\":{\"k\":\"" + seq + "\"}}";
    }

    private static JournalScan scan(List<String> lines, String tail) {
        return JournalScan.of((String.join("\n", lines) + "\n" + tail).getBytes(StandardCharsets.UTF_8), JSON);
    }

    private static List<String> lines(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(line(i));
        }
        return out;
    }

    private static List<Long> intactSeqs(JournalScan s) {
        return s.intact().stream().map(i -> OutboxEntries.seq(i.entry())).toList();
    }

    @Test
    void aTornLastWriteIsNoDamage() {
        JournalScan s = scan(lines(3), "{\"seq\":3,\"op\":\"met");
        assertFalse(s.damaged());
        assertEquals(List.of(0L, 1L, 2L), intactSeqs(s));
        assertEquals(18, s.tornTailBytes());
    }

    @Test
    void anUnreadableLineInTheMiddleLosesOnlyItsEntry() {
        List<String> l = lines(5);
        l.set(2, "{\"seq\":2,\"op\":\"ta\u0000\u0000");
        JournalScan s = scan(l, "");
        assertTrue(s.damaged());
        assertEquals(List.of(3), s.damagedLines());
        assertEquals(List.of(2L), s.lostSeqs());
        assertEquals(List.of(0L, 1L, 3L, 4L), intactSeqs(s));
    }

    @Test
    void aFlippedSeqDigitDoesNotSwallowTheLinesAfterIt() {
        List<String> l = lines(6);
        l.set(2, line(92)); // seq 2 became 92: taken at its word, lines 4 to 6 would all look out of order
        JournalScan s = scan(l, "");
        assertEquals(List.of(3), s.damagedLines());
        assertEquals(List.of(2L), s.lostSeqs());
        assertEquals(List.of(0L, 1L, 3L, 4L, 5L), intactSeqs(s));
    }

    @Test
    void aLineWrittenTwiceLosesNothing() {
        List<String> l = lines(4);
        l.add(2, line(1));
        JournalScan s = scan(l, "");
        assertTrue(s.damaged());
        assertEquals(List.of(), s.lostSeqs());
        assertEquals(List.of(0L, 1L, 2L, 3L), intactSeqs(s));
    }

    @Test
    void aZeroedBlockSpanningLinesLosesTheEntriesItCovers() {
        List<String> l = lines(8);
        l.subList(2, 5).clear();
        l.add(2, "\u0000".repeat(300)); // three lines and their newlines zeroed: one unreadable line
        JournalScan s = scan(l, "");
        assertEquals(List.of(3), s.damagedLines());
        assertEquals(List.of(2L, 3L, 4L), s.lostSeqs());
        assertEquals(List.of(0L, 1L, 5L, 6L, 7L), intactSeqs(s));
    }

    @Test
    void unreadableCompleteLastLinesAreDamageAtTheEnd() {
        List<String> l = lines(4);
        l.set(3, "{\"seq\":3,\"op\":\"ta");
        JournalScan s = scan(l, "");
        assertTrue(s.damaged());
        assertFalse(s.damagedInTheMiddle());
        assertEquals(List.of(4), s.damagedLines());
        assertEquals(List.of(), s.lostSeqs(), "how many entries the last lines held is unknown");
        l.add(line(4));
        assertTrue(scan(l, "").damagedInTheMiddle());
    }

    @Test
    void aLineWithAnUnknownOperationIsDamaged() {
        List<String> l = lines(3);
        l.set(1, "{\"seq\":1,\"op\":\"tagz\",\"runId\":\"r\"}");
        JournalScan s = scan(l, "");
        assertEquals(List.of(2), s.damagedLines());
        assertEquals(List.of(1L), s.lostSeqs());
    }

    @Test
    void theWarningNamesTheFileTheLinesTheCopyAndWhatWasLost() {
        JournalDamage d = new JournalDamage(Path.of("/runs/outbox/3/journal/journal.jsonl"),
                Path.of("/runs/outbox/3/journal/journal.jsonl.damaged-20261130T120000Z"), List.of(7, 8, 9, 12), true,
                List.of(6L, 7L, 8L, 11L), List.of(11L), 40);
        String w = d.warning(8);
        assertTrue(w.startsWith("tracking outbox journal /runs/outbox/3/journal/journal.jsonl is damaged: lines 7-9, 12 cannot"
                + " be read"), w);
        assertTrue(w.contains("Moved the damaged file to /runs/outbox/3/journal/journal.jsonl.damaged-20261130T120000Z;"), w);
        assertTrue(w.contains("its 40 intact entries stay"), w);
        assertTrue(w.contains("Lost: entries 6-8, 11 (2 delivered before, 2 not)"), w);
        assertTrue(w.contains("The artifact copy of entry 11 is kept in journal.jsonl.damaged-20261130T120000Z.blobs/"), w);
    }
}
