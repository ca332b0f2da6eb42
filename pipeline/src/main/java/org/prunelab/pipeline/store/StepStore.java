package org.prunelab.pipeline.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.prunelab.io.AtomicFiles;
import org.prunelab.io.Digests;

/**
 * Content-addressed storage of step outputs under a runs directory:
 * <pre>
 * steps/&lt;kind&gt;/&lt;identity&gt;/   committed outputs + manifest.json (immutable once there)
 * work/&lt;identity&gt;/out/         outputs of a step in progress (survive interruption)
 * work/&lt;identity&gt;/checkpoints/ its checkpoints
 * work/&lt;identity&gt;/lock        held while a process runs it
 * </pre>
 * A step is committed by writing its manifest into the work output directory and renaming that
 * directory into {@code steps/}: a step is either fully there or not there at all.
 */
public final class StepStore {
    private final Path root;

    public StepStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path committedDir(String kind, String shortId) {
        return root.resolve("steps").resolve(kind).resolve(shortId);
    }

    public Path workDir(String shortId) {
        return root.resolve("work").resolve(shortId);
    }

    public Path workOutputs(String shortId) {
        return workDir(shortId).resolve("out");
    }

    public Path checkpointDir(String shortId) {
        return workDir(shortId).resolve("checkpoints");
    }

    public Path lockFile(String shortId) {
        return workDir(shortId).resolve("lock");
    }

    /** The committed manifest for this identity, if the step finished earlier and is intact. */
    public Optional<StepManifest> committed(String kind, String identity) throws IOException {
        Path dir = committedDir(kind, identity.substring(0, 16));
        Path manifestFile = dir.resolve(StepManifest.FILE);
        if (!Files.isRegularFile(manifestFile)) {
            return Optional.empty();
        }
        StepManifest manifest = Json.read(manifestFile, StepManifest.class);
        if (!identity.equals(manifest.identity())) {
            return Optional.empty(); // a 64-bit prefix collision: treat as absent rather than reuse wrong work
        }
        for (var entry : manifest.outputs().entrySet()) {
            Path file = dir.resolve(entry.getKey());
            if (!Files.isRegularFile(file) || Files.size(file) != entry.getValue().bytes()) {
                throw new IOException("committed step " + dir + " is damaged: " + entry.getKey()
                        + " is missing or has the wrong size; delete that directory to recompute it");
            }
        }
        return Optional.of(manifest);
    }

    public boolean hasWork(String shortId) {
        return Files.isDirectory(checkpointDir(shortId)) || Files.isDirectory(workOutputs(shortId));
    }

    /** Digests of every file under a directory, by relative path with '/' separators. */
    public static SortedMap<String, StepManifest.OutputFile> digestTree(Path dir) throws IOException {
        SortedMap<String, StepManifest.OutputFile> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.filter(Files::isRegularFile).sorted().toList()) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (rel.equals(StepManifest.FILE) || p.getFileName().toString().startsWith(".")) {
                    continue;
                }
                out.put(rel, new StepManifest.OutputFile(Digests.sha256(p), Files.size(p)));
            }
        }
        return out;
    }

    /** Writes the manifest into the work outputs and moves them into place; removes the work dir. */
    public Path commit(String kind, String shortId, StepManifest manifest) throws IOException {
        Path out = workOutputs(shortId);
        Json.writeAtomically(out.resolve(StepManifest.FILE), manifest);
        Path target = committedDir(kind, shortId);
        if (Files.exists(target)) {
            AtomicFiles.deleteTree(target); // only a damaged earlier commit can be here
        }
        AtomicFiles.moveDirectory(out, target);
        AtomicFiles.deleteTree(checkpointDir(shortId));
        return target;
    }

    /** Removes what is left of the work directory after the lock is released. */
    public void cleanWork(String shortId) throws IOException {
        AtomicFiles.deleteTree(workDir(shortId));
    }
}
