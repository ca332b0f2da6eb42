package org.prunelab.pipeline.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.prunelab.pipeline.store.Json;

/**
 * The durable record of a sweep: every point with its index, swept values, pipeline id and last
 * known state. Written atomically after every point, so an interrupted sweep resumes with the same
 * numbering and {@code status} can report on it from another process.
 */
public record SweepLedger(String sweepId, String config, List<Entry> points) {

    public enum State { PENDING, DONE, FAILED }

    public record Entry(int index, Map<String, Object> axes, String pipelineId, State state, String error,
                        double seconds, String finishedAt) { }

    public static Path file(Path runsRoot, String sweepId) {
        return runsRoot.resolve("sweeps").resolve(sweepId + ".json");
    }

    public static SweepLedger load(Path runsRoot, String sweepId, String config) throws IOException {
        Path file = file(runsRoot, sweepId);
        if (Files.exists(file)) {
            String problem;
            try {
                SweepLedger ledger = Json.read(file, SweepLedger.class);
                problem = problem(ledger, sweepId);
                if (problem == null) {
                    return ledger;
                }
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                problem = "not valid JSON";
            }
            // The ledger is a record, not the results: every finished point's steps are committed
            // and content-addressed, so a rebuilt ledger finds them again without recomputing.
            Path aside = org.prunelab.pipeline.store.Quarantine.moveAside(file);
            System.err.println("prunelab: warning: sweep ledger " + file + " was damaged (" + problem + "); moved to "
                    + aside.getFileName() + " and rebuilt (finished points are reused, not recomputed)");
        }
        return new SweepLedger(sweepId, config, new ArrayList<>());
    }

    /** Why a parsed ledger cannot be trusted, or null. */
    private static String problem(SweepLedger ledger, String sweepId) {
        if (ledger == null || !sweepId.equals(ledger.sweepId())) {
            return "it belongs to sweep " + (ledger == null ? "none" : ledger.sweepId());
        }
        if (ledger.points() == null) {
            return "no list of points";
        }
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (Entry e : ledger.points()) {
            if (e == null || e.index() < 0 || !seen.add(e.index()) || e.state() == null || e.axes() == null) {
                return "a point is incomplete or listed twice";
            }
        }
        return null;
    }

    public void save(Path runsRoot) throws IOException {
        Json.writeAtomically(file(runsRoot, sweepId), this);
    }

    public SweepLedger with(Entry entry) {
        List<Entry> updated = new ArrayList<>(points);
        updated.removeIf(e -> e.index() == entry.index());
        updated.add(entry);
        updated.sort(java.util.Comparator.comparingInt(Entry::index));
        return new SweepLedger(sweepId, config, updated);
    }

    public Entry entry(int index) {
        return points.stream().filter(e -> e.index() == index).findFirst().orElse(null);
    }
}
