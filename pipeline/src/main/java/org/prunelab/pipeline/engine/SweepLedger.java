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
            return Json.read(file, SweepLedger.class);
        }
        return new SweepLedger(sweepId, config, new ArrayList<>());
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
