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
 * are kept. No Java serialization anywhere: every file is readable by numpy or a JSON parser.
 */
public final class DirectoryCheckpointStore implements CheckpointStore {
    private static final String PREFIX = "ckpt-";
    private static final String INDEX = "checkpoint.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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
        Path tmp = Files.createTempDirectory(root, ".tmp-" + name + "-");
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
            index.put("format", "prunelab-checkpoint/1");
            index.put("position", checkpoint.position());
            index.put("tensors", digests);
            index.put("state", checkpoint.state());
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

    @SuppressWarnings("unchecked")
    private Checkpoint load(Path dir) throws IOException {
        Map<String, Object> index = JSON.readValue(dir.resolve(INDEX).toFile(), Map.class);
        if (!"prunelab-checkpoint/1".equals(index.get("format"))) {
            throw new IOException("unknown checkpoint format " + index.get("format"));
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
