package org.prunelab.stages.io;

import org.prunelab.io.AtomicFiles;
import org.prunelab.io.Digests;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Checkpoints as directories {@code ckpt-<position>/} holding one {@code .npy} per tensor and a
 * {@code checkpoint.json} with the state and each tensor's SHA-256. A checkpoint directory is built
 * under a temporary name and renamed into place, so it is complete or absent. The last {@code keep}
 * are kept. No Java serialization anywhere: every file is readable by numpy or a JSON parser. Files
 * and directories get the umask's default mode (0644 and 0755 under 022), as every output does.
 */
public final class DirectoryCheckpointStore implements CheckpointStore {
    private static final String PREFIX = "ckpt-";
    private static final String INDEX = "checkpoint.json";
    /** Format 2 adds the checksum of checkpoint.json itself; format 1 files are refused (restart, not guess). */
    private static final String FORMAT = "prunelab-checkpoint/2";
    private static final String CHECKSUM = "checksum";
    // Entry order is kept as the stage built it: resumed state (e.g. a history of rows) must come
    // back in the same order. The checksum is over the sorted form, so it does not depend on order.
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final Path root;
    private final int keep;
    private final long everyPositions;
    private final long everyMillis;
    private final Clock clock;
    private final Consumer<String> warnings;
    private long lastSaveMillis;

    /**
     * @param everyPositions save when {@code position % everyPositions == 0} (0 = never by position)
     * @param everyMillis    also save when this much time passed since the last save (0 = never by time)
     */
    public DirectoryCheckpointStore(Path root, int keep, long everyPositions, long everyMillis, Clock clock,
                                    Consumer<String> warnings) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be >= 1");
        }
        this.root = root;
        this.keep = keep;
        this.everyPositions = everyPositions;
        this.everyMillis = everyMillis;
        this.clock = clock;
        this.warnings = warnings;
        this.lastSaveMillis = clock.millis();
    }

    @Override
    public boolean due(long position) {
        if (everyPositions > 0 && position % everyPositions == 0) {
            return true;
        }
        return everyMillis > 0 && clock.millis() - lastSaveMillis >= everyMillis;
    }

    @Override
    public void save(Checkpoint checkpoint) throws IOException {
        Files.createDirectories(root);
        String name = String.format("%s%015d", PREFIX, checkpoint.position());
        Path target = root.resolve(name);
        Path tmp = AtomicFiles.createTempDirectory(root, ".tmp-" + name + "-"); // the umask's mode, not rwx------
        try {
            Map<String, String> digests = new LinkedHashMap<>();
            for (var entry : checkpoint.tensors().entrySet()) {
                String fileName = safeName(entry.getKey()) + ".npy";
                Path file = tmp.resolve(fileName);
                Checkpoint.Tensor t = entry.getValue();
                if (t.doubles() != null) {
                    Npy.writeDoubles(file, t.doubles(), t.shape());
                } else {
                    Npy.writeBytes(file, t.bytes(), t.shape());
                }
                digests.put(entry.getKey(), Digests.sha256(file));
            }
            Map<String, Object> index = new LinkedHashMap<>();
            index.put("format", FORMAT);
            index.put("position", checkpoint.position());
            index.put("tensors", digests);
            index.put("state", checkpoint.state());
            // Round-trip first so the checksum covers exactly what a reader will parse back.
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed = JSON.readValue(JSON.writeValueAsBytes(index), Map.class);
            index.put(CHECKSUM, checksum(parsed));
            AtomicFiles.writeBytes(tmp.resolve(INDEX), JSON.writeValueAsBytes(index));
            AtomicFiles.fsyncDirectory(tmp);
            if (Files.exists(target)) {
                AtomicFiles.deleteTree(target);
            }
            AtomicFiles.moveDirectory(tmp, target);
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
        lastSaveMillis = clock.millis();
        prune();
    }

    @Override
    public Optional<Checkpoint> latest() throws IOException {
        List<Path> candidates = list();
        for (int i = candidates.size() - 1; i >= 0; i--) {
            Path dir = candidates.get(i);
            try {
                return Optional.of(load(dir));
            } catch (IOException | RuntimeException e) {
                warnings.accept("checkpoint " + dir + " is unusable (" + e.getMessage()
                        + "); falling back to an earlier one");
            }
        }
        return Optional.empty();
    }

    /**
     * Checks one {@code ckpt-*} directory completely (index checksum, every tensor's digest and
     * format) without keeping it; for {@code prunelab verify}. Throws with the problem.
     */
    public static void verify(Path checkpointDir) throws IOException {
        load(checkpointDir);
    }

    @SuppressWarnings("unchecked")
    private static Checkpoint load(Path dir) throws IOException {
        Map<String, Object> index;
        try {
            index = JSON.readValue(dir.resolve(INDEX).toFile(), Map.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(INDEX + " is not valid JSON (torn or edited)");
        }
        if (!FORMAT.equals(index.get("format"))) {
            throw new IOException(INDEX + " has format '" + index.get("format") + "', expected '" + FORMAT + "'");
        }
        Object recorded = index.remove(CHECKSUM);
        if (!checksum(index).equals(recorded)) {
            // Position, counters and schedule state decide which data the resumed step sees next:
            // an edited batch position would silently change the trained weights.
            throw new IOException(INDEX + " does not match its checksum (edited or damaged)");
        }
        Map<String, String> digests = (Map<String, String>) index.get("tensors");
        Map<String, Checkpoint.Tensor> tensors = new LinkedHashMap<>();
        for (var entry : digests.entrySet()) {
            Path file = dir.resolve(safeName(entry.getKey()) + ".npy");
            String actual = Digests.sha256(file);
            if (!actual.equals(entry.getValue())) {
                throw new IOException("checksum mismatch in " + file.getFileName());
            }
            Npy.Array a = Npy.read(file);
            tensors.put(entry.getKey(), new Checkpoint.Tensor(a.shape(), a.doubles(), a.bytes()));
        }
        long position = ((Number) index.get("position")).longValue();
        Map<String, Object> state = (Map<String, Object>) index.getOrDefault("state", Map.of());
        return new Checkpoint(position, tensors, state);
    }

    /** SHA-256 of the canonical JSON (sorted keys, no whitespace) of the index without its checksum. */
    private static String checksum(Map<String, Object> indexWithoutChecksum) throws IOException {
        return Digests.sha256(CANONICAL.writeValueAsBytes(indexWithoutChecksum));
    }

    private List<Path> list() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> dirs = new ArrayList<>();
        try (var stream = Files.list(root)) {
            stream.filter(p -> p.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(p))
                    .sorted()
                    .forEach(dirs::add);
        }
        return dirs;
    }

    private void prune() throws IOException {
        List<Path> dirs = list();
        for (int i = 0; i < dirs.size() - keep; i++) {
            AtomicFiles.deleteTree(dirs.get(i));
        }
    }

    private static String safeName(String name) {
        if (!name.matches("[A-Za-z0-9_.-]+") || name.startsWith(".")) {
            throw new IllegalArgumentException("bad tensor name '" + name + "'");
        }
        return name;
    }
}
