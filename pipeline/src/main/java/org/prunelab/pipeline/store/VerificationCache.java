package org.prunelab.pipeline.store;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.prunelab.io.Digests;

/**
 * Verifies committed outputs against their manifest digests, remembering each success by the
 * file's {@link FileStamp}: a file whose size, times and inode are unchanged since it was last
 * hashed is not hashed again. That keeps the no-op check of a finished sweep at a few stat calls
 * per file, while a changed file (bit rot rewrites nothing, but any edit or copy changes the stamp)
 * is re-hashed before it is reused.
 *
 * <p>Remembered in memory (per process) and in {@code runs/verified/<id16>.json}. The cache is only ever a reason
 * to skip hashing a file whose stamp and recorded digest both match; a damaged cache file is
 * ignored (everything is hashed again), never trusted.
 */
final class VerificationCache {
    private static final TypeReference<TreeMap<String, Entry>> TYPE = new TypeReference<>() { };

    /** The stamp a file had when it was last found to have digest {@code sha256}. */
    record Entry(String stamp, String sha256) { }

    private final Path dir;
    /** Process-wide, keyed by absolute path: a sweep plans every point with a fresh store. */
    private static final Map<Path, Entry> MEMORY = new ConcurrentHashMap<>();

    VerificationCache(Path runsRoot) {
        this.dir = runsRoot.resolve("verified");
    }

    /** Checks every output of a committed step; throws naming the first damaged file. */
    void verify(Path stepDir, StepManifest manifest) throws IOException {
        String id = stepDir.getFileName().toString();
        Map<String, Entry> disk = null;
        boolean changed = false;
        for (var output : manifest.outputs().entrySet()) {
            Path file = stepDir.resolve(output.getKey());
            StepManifest.OutputFile expected = output.getValue();
            if (!Files.isRegularFile(file)) {
                throw new DamagedFileException(file, "listed in manifest.json but missing",
                        remedy(stepDir));
            }
            if (Files.size(file) != expected.bytes()) {
                throw new DamagedFileException(file, "has " + Files.size(file) + " bytes, manifest.json records "
                        + expected.bytes(), remedy(stepDir));
            }
            String stamp = FileStamp.of(file);
            Entry known = MEMORY.get(file);
            if (known == null) {
                if (disk == null) {
                    disk = load(id);
                }
                known = disk.get(output.getKey());
            }
            if (known != null && known.stamp().equals(stamp) && known.sha256().equals(expected.sha256())) {
                MEMORY.put(file, known);
                continue;
            }
            String actual = Digests.sha256(file);
            if (!actual.equals(expected.sha256())) {
                throw new DamagedFileException(file, "its content does not match the SHA-256 recorded in"
                        + " manifest.json (changed after the step was committed: disk damage or an edit)",
                        remedy(stepDir));
            }
            Entry fresh = new Entry(stamp, actual);
            MEMORY.put(file, fresh);
            if (disk == null) {
                disk = load(id);
            }
            disk.put(output.getKey(), fresh);
            changed = true;
        }
        if (changed) {
            save(id, disk);
        }
    }

    static String remedy(Path stepDir) {
        return "run 'prunelab verify' to check every step, then delete " + stepDir
                + " (or run 'prunelab verify --quarantine') to have the step recomputed";
    }

    private Map<String, Entry> load(String id) {
        Path file = dir.resolve(id + ".json");
        if (!Files.isRegularFile(file)) {
            return new TreeMap<>();
        }
        try {
            TreeMap<String, Entry> entries = Json.MAPPER.readValue(file.toFile(), TYPE);
            entries.values().removeIf(e -> e == null || e.stamp() == null || e.sha256() == null);
            return entries;
        } catch (IOException e) {
            return new TreeMap<>(); // a damaged cache only costs a re-hash
        }
    }

    private void save(String id, Map<String, Entry> entries) {
        try {
            Json.writeAtomically(dir.resolve(id + ".json"), new TreeMap<>(entries));
        } catch (IOException e) {
            // A read-only or full runs directory: verification still happened, only its memory is lost.
        }
    }
}
