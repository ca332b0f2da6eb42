package org.prunelab.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.store.StepManifest;

/** A sweep's cost: per point, and with a step shared by several points counted once in the total. */
class ComputeTimeTest {
    @TempDir
    Path dir;

    private static StepManifest manifest(String step, String identity, double seconds) {
        return new StepManifest(StepManifest.FORMAT, step, "toy." + step, identity, 1, "d", new TreeMap<>(),
                new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), List.of(), "", "",
                seconds, 1, "", Map.of(), new TreeMap<>());
    }

    @Test
    void aSharedStepCountsInEveryPointButOnceInTheSweepsTotal() throws Exception {
        StepManifest dense = manifest("train", "a".repeat(64), 100.0);
        Map<String, StepManifest> first = new LinkedHashMap<>();
        first.put("train", dense);
        first.put("evaluate", manifest("evaluate", "b".repeat(64), 10.0));
        Map<String, StepManifest> second = new LinkedHashMap<>();
        second.put("train", dense);
        second.put("evaluate", manifest("evaluate", "c".repeat(64), 30.0));
        ComputeTime.Summary s = ComputeTime.write(List.of(new FinishedPoint(0, Map.of("seed", 1), first),
                new FinishedPoint(1, Map.of("seed", 2), second)), dir);

        assertEquals(3, s.distinctSteps());
        assertEquals(140.0, s.distinctSeconds(), 1e-12);
        assertEquals((110.0 + 130.0) / 2, s.meanPointSeconds(), 1e-12);
        assertEquals(List.of(new ComputeTime.StepTimes("evaluate", 2, 20.0, 10.0, 30.0),
                new ComputeTime.StepTimes("train", 1, 100.0, 100.0, 100.0)), s.byStep());
        List<String> csv = Files.readAllLines(s.file());
        assertEquals("point,seed,train_seconds,evaluate_seconds,total_seconds", csv.get(0));
        assertEquals("0,1,100.0,10.0,110.0", csv.get(1));
        assertEquals("1,2,100.0,30.0,130.0", csv.get(2));
        assertTrue(s.describe().contains("2 points, 3 distinct steps, 140 s of step time"), s.describe());
    }
}
