package org.prunelab.tracking.outbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link JournalQuarantine} found and did, and the one warning that tells the user.
 *
 * @param journal      the journal, now repaired
 * @param damagedCopy  where the damaged file went, as it was
 * @param damagedLines line numbers (from 1) of the lines that could not be read
 * @param inTheMiddle  whether intact lines follow a damaged one (else only the last complete lines are damaged)
 * @param lostSeqs     sequence numbers no intact line holds, now placeholders
 * @param movedBlobs   lost entries whose artifact copy was moved next to the damaged copy
 * @param intact       entries kept
 */
record JournalDamage(Path journal, Path damagedCopy, List<Integer> damagedLines, boolean inTheMiddle, List<Long> lostSeqs,
                     List<Long> movedBlobs, int intact) {

    /** The warning, given how many entries {@code state.json} counts as done (delivered or dead-lettered). */
    String warning(long done) {
        StringBuilder w = new StringBuilder("tracking outbox journal ").append(journal).append(" is damaged: ");
        if (damagedLines.isEmpty()) {
            w.append("no line is unreadable, but entries are missing between intact lines");
        } else {
            w.append(damagedLines.size() == 1 ? "line " : "lines ").append(join(damagedLines)).append(" cannot be read")
                    .append(inTheMiddle ? " and intact lines follow, so this is no torn last write"
                            : " (complete lines at the end: a write that reached the disk only in part)");
        }
        w.append(". Moved the damaged file to ").append(damagedCopy).append("; its ").append(intact)
                .append(" intact entries stay in the journal and delivery goes on. ");
        if (lostSeqs.isEmpty()) {
            w.append("No entry was lost (the damaged lines repeat entries that intact lines hold, or are not entries).");
        } else {
            long delivered = lostSeqs.stream().filter(s -> s < done).count();
            w.append(lostSeqs.size() == 1 ? "Lost: entry " : "Lost: entries ").append(join(lostSeqs)).append(" (")
                    .append(delivered).append(" delivered before, ").append(lostSeqs.size() - delivered)
                    .append(" not). What an undelivered one held (a run's creation, metric points, params, tags, a status)"
                            + " cannot be read, so it is not sent.");
            if (!movedBlobs.isEmpty()) {
                w.append(movedBlobs.size() == 1 ? " The artifact copy of entry " : " The artifact copies of entries ")
                        .append(join(movedBlobs)).append(movedBlobs.size() == 1 ? " is kept in " : " are kept in ")
                        .append(damagedCopy.getFileName()).append(".blobs/.");
            }
            w.append(" Every metric entry of this outbox is now checked against the server's history before it is sent,"
                    + " so nothing is doubled; an entry for a run whose creation was lost goes to dead-letter.jsonl with the"
                    + " reason.");
        }
        return w.append(" Delete ").append(damagedCopy.getFileName()).append(" when you no longer need it.").toString();
    }

    /** Ascending numbers as ranges: "3, 7-12" (a zeroed block can take hundreds of lines). */
    static String join(List<? extends Number> numbers) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < numbers.size()) {
            int j = i;
            while (j + 1 < numbers.size() && numbers.get(j + 1).longValue() == numbers.get(j).longValue() + 1) {
                j++;
            }
            parts.add(j == i ? String.valueOf(numbers.get(i)) : numbers.get(i) + "-" + numbers.get(j));
            i = j + 1;
        }
        return String.join(", ", parts);
    }
}
