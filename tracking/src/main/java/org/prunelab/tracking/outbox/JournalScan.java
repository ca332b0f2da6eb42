package org.prunelab.tracking.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A journal file's bytes read into intact entries, damaged lines and lost sequence numbers.
 *
 * <p>A line is <em>readable</em> when it is a JSON object with an integral {@code seq} of at least 0
 * and a known {@code op}. Sequence numbers rise by one from line to line, so the <em>intact</em>
 * lines are the longest run of readable lines whose seq strictly rises (a damaged line whose seq
 * still parses, e.g. a flipped digit, or a line written twice, falls out of it); every other
 * complete line is <em>damaged</em>, and every seq skipped between intact lines is <em>lost</em>.
 * Bytes after the last newline are a torn write (a process killed during an append) and are not
 * counted as damage: the caller of that append was never told it succeeded.
 */
final class JournalScan {
    /** An intact entry and the exact bytes of its line, newline excluded. */
    record Intact(ObjectNode entry, byte[] line) { }

    private final List<Intact> intact;
    private final List<Integer> damagedLines;
    private final List<Long> lostSeqs;
    private final int tornTailBytes;
    private final int lines;
    private final int lastIntactLine;

    private JournalScan(List<Intact> intact, List<Integer> damagedLines, List<Long> lostSeqs, int tornTailBytes, int lines,
                        int lastIntactLine) {
        this.intact = intact;
        this.damagedLines = damagedLines;
        this.lostSeqs = lostSeqs;
        this.tornTailBytes = tornTailBytes;
        this.lines = lines;
        this.lastIntactLine = lastIntactLine;
    }

    static JournalScan of(byte[] all, ObjectMapper json) {
        List<Integer> lineNos = new ArrayList<>();
        List<byte[]> raws = new ArrayList<>();
        List<ObjectNode> nodes = new ArrayList<>();
        int start = 0;
        int lineNo = 0;
        while (start < all.length) {
            int nl = indexOf(all, (byte) '\n', start);
            if (nl < 0) {
                break;
            }
            lineNo++;
            byte[] raw = Arrays.copyOfRange(all, start, nl);
            lineNos.add(lineNo);
            raws.add(raw);
            nodes.add(readable(raw, json));
            start = nl + 1;
        }
        boolean[] keep = longestRisingSeqs(nodes);
        List<Intact> intact = new ArrayList<>();
        List<Integer> damaged = new ArrayList<>();
        List<Long> lost = new ArrayList<>();
        long expected = 0;
        int lastIntactLine = 0;
        for (int i = 0; i < nodes.size(); i++) {
            if (!keep[i]) {
                damaged.add(lineNos.get(i));
                continue;
            }
            long seq = OutboxEntries.seq(nodes.get(i));
            for (long s = expected; s < seq; s++) {
                lost.add(s);
            }
            intact.add(new Intact(nodes.get(i), raws.get(i)));
            expected = seq + 1;
            lastIntactLine = lineNos.get(i);
        }
        return new JournalScan(intact, damaged, lost, all.length - start, lineNo, lastIntactLine);
    }

    /** The line's entry, or null when it is not a JSON object with a seq of at least 0 and a known op. */
    private static ObjectNode readable(byte[] raw, ObjectMapper json) {
        JsonNode node;
        try {
            node = json.readTree(new String(raw, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        }
        if (node instanceof ObjectNode obj && obj.path("seq").isIntegralNumber() && obj.path("seq").asLong() >= 0
                && OutboxEntries.OPS.contains(obj.path("op").asText())) {
            return obj;
        }
        return null;
    }

    /**
     * Marks the longest subsequence of readable lines whose seq strictly rises (O(n log n); on ties
     * the earliest lines win). In an undamaged journal that is every line.
     */
    private static boolean[] longestRisingSeqs(List<ObjectNode> nodes) {
        int n = nodes.size();
        int[] tailIndex = new int[n + 1]; // tailIndex[len]: line ending the best rising run of that length
        int[] previous = new int[n];
        int best = 0;
        for (int i = 0; i < n; i++) {
            if (nodes.get(i) == null) {
                continue;
            }
            long seq = OutboxEntries.seq(nodes.get(i));
            int lo = 1;
            int hi = best;
            while (lo <= hi) { // the longest run whose last seq is below this one
                int mid = (lo + hi) >>> 1;
                if (OutboxEntries.seq(nodes.get(tailIndex[mid])) < seq) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            previous[i] = lo > 1 ? tailIndex[lo - 1] : -1;
            tailIndex[lo] = i;
            best = Math.max(best, lo);
        }
        boolean[] keep = new boolean[n];
        for (int i = best > 0 ? tailIndex[best] : -1; i >= 0; i = previous[i]) {
            keep[i] = true;
        }
        return keep;
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    List<Intact> intact() {
        return intact;
    }

    /** Line numbers (from 1) of complete lines that are not intact. */
    List<Integer> damagedLines() {
        return damagedLines;
    }

    /** Sequence numbers skipped between intact lines. */
    List<Long> lostSeqs() {
        return lostSeqs;
    }

    /** Whether an intact line follows a damaged one (damage in the middle, not only at the end). */
    boolean damagedInTheMiddle() {
        return damagedLines.stream().anyMatch(l -> l < lastIntactLine);
    }

    /** Whether anything but a torn last write is wrong: the file must be quarantined and rewritten. */
    boolean damaged() {
        return !damagedLines.isEmpty() || !lostSeqs.isEmpty();
    }

    /** Bytes after the last newline (a torn append), 0 if none. */
    int tornTailBytes() {
        return tornTailBytes;
    }

    /** Complete lines in the file. */
    int lines() {
        return lines;
    }
}
