package org.prunelab.stages.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, finding 4: checkpoint.json's own fields (position, counters, schedule state) decide
 * which batch a resumed step trains on next; an edit to them must be detected like a damaged tensor.
 */
class CheckpointMetadataChecksumTest {
    @TempDir
    Path dir;
    private final List<String> warnings = new ArrayList<>();

    private DirectoryCheckpointStore store() {
        return new DirectoryCheckpointStore(dir, 3, 10, 0, Clock.systemUTC(), warnings::add);
    }

    private static Checkpoint checkpoint(long position, long batch) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("epoch", 1);
        state.put("batch", batch);
        state.put("lr", 0.05);
        return new Checkpoint(position, Map.of("w", Checkpoint.Tensor.of(new double[] {1, 2, 3}, 3)), state);
    }

    private Path index(long position) {
        return dir.resolve(String.format("ckpt-%015d", position)).resolve("checkpoint.json");
    }

    @Test
    void editedBatchPositionIsRefusedAndTheEarlierCheckpointUsed() throws Exception {
        DirectoryCheckpointStore store = store();
        store.save(checkpoint(1, 4));
        store.save(checkpoint(2, 7));
        String json = Files.readString(index(2), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"batch\" : 7"), json);
        Files.writeString(index(2), json.replace("\"batch\" : 7", "\"batch\" : 3"), StandardCharsets.UTF_8);

        Checkpoint loaded = store.latest().orElseThrow();
        assertEquals(1, loaded.position());
        assertEquals(4, ((Number) loaded.state().get("batch")).intValue());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("checkpoint.json") && w.contains("checksum")
                && w.contains(index(2).getParent().toString())), warnings.toString());
    }

    @Test
    void editedPositionIsRefused() throws Exception {
        DirectoryCheckpointStore store = store();
        store.save(checkpoint(5, 1));
        String json = Files.readString(index(5), StandardCharsets.UTF_8);
        Files.writeString(index(5), json.replace("\"position\" : 5", "\"position\" : 9"), StandardCharsets.UTF_8);
        assertTrue(store.latest().isEmpty(), "an edited position must not be trusted");
        assertTrue(warnings.stream().anyMatch(w -> w.contains("checksum")), warnings.toString());
    }

    @Test
    void tornIndexIsRefusedWithTheFileNamed() throws Exception {
        DirectoryCheckpointStore store = store();
        store.save(checkpoint(1, 1));
        byte[] full = Files.readAllBytes(index(1));
        Files.write(index(1), java.util.Arrays.copyOf(full, full.length / 2));
        assertTrue(store.latest().isEmpty());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("checkpoint.json is not valid JSON")), warnings.toString());
    }

    @Test
    void untouchedCheckpointLoadsWithEveryStateValueIntact() throws Exception {
        DirectoryCheckpointStore store = store();
        store.save(checkpoint(3, 9));
        Checkpoint loaded = store.latest().orElseThrow();
        assertEquals(3, loaded.position());
        assertEquals(9, ((Number) loaded.state().get("batch")).intValue());
        assertEquals(0.05, ((Number) loaded.state().get("lr")).doubleValue());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }
}
