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
    private final VerificationCache verification;

    public StepStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.verification = new VerificationCache(this.root);
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

    /**
     * The committed manifest for this identity, if the step finished earlier and is intact: every
     * output is checked by size and by SHA-256 (the digest check is skipped for a file whose stamp
     * is unchanged since it was last verified, see {@link VerificationCache}).
     *
     * @throws DamagedFileException naming the damaged file and what to do
     */
    public Optional<StepManifest> committed(String kind, String identity) throws IOException {
        Path dir = committedDir(kind, identity.substring(0, 16));
        Path manifestFile = dir.resolve(StepManifest.FILE);
        if (!Files.isRegularFile(manifestFile)) {
            return Optional.empty();
        }
        StepManifest manifest = readManifest(dir);
        if (!identity.equals(manifest.identity())) {
            return Optional.empty(); // a 64-bit prefix collision: treat as absent rather than reuse wrong work
        }
        verification.verify(dir, manifest);
        return Optional.of(manifest);
    }

    /** Reads and validates a committed step's manifest.json. */
    public static StepManifest readManifest(Path stepDir) throws IOException {
        Path file = stepDir.resolve(StepManifest.FILE);
        StepManifest manifest;
        try {
            manifest = Json.read(file, StepManifest.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new DamagedFileException(file, "not a valid step manifest (" + e.getOriginalMessage() + ")",
                    VerificationCache.remedy(stepDir));
        }
        String problem = manifest == null ? "empty"
                : !StepManifest.FORMAT.equals(manifest.format()) ? "format is '" + manifest.format() + "', expected '"
                        + StepManifest.FORMAT + "'"
                : manifest.identity() == null || !manifest.identity().matches("[0-9a-f]{64}") ? "no valid identity"
                : !manifest.identity().startsWith(stepDir.getFileName().toString()) ? "identity "
                        + manifest.identity() + " does not belong to directory " + stepDir.getFileName()
                : manifest.outputs() == null ? "no list of outputs"
                : badOutputName(manifest);
        if (problem != null) {
            throw new DamagedFileException(file, "not a valid step manifest: " + problem,
                    VerificationCache.remedy(stepDir));
        }
        return manifest;
    }

    /** Output names are relative paths inside the step directory, each with a digest and size. */
    private static String badOutputName(StepManifest manifest) {
        for (var e : manifest.outputs().entrySet()) {
            String name = e.getKey();
            if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || java.util.Arrays.asList(name.split("/")).contains("..")) {
                return "output name '" + name + "' is not a plain relative path";
            }
            if (e.getValue() == null || e.getValue().sha256() == null || e.getValue().bytes() < 0) {
                return "output '" + name + "' has no digest or size";
            }
        }
        return null;
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
        prepareCommit(shortId, manifest);
        return commitPrepared(kind, shortId);
    }

    /**
     * The first half of {@link #commit}: removes torn temp files from the step's outputs and writes
     * its manifest there; returns the manifest file. Between the halves the caller hands the
     * finished step to tracking, so that a kill right after the commit loses nothing tracking needs.
     */
    public Path prepareCommit(String shortId, StepManifest manifest) throws IOException {
        Path out = workOutputs(shortId);
        TempFiles.removeLeftovers(out); // a write torn by an earlier kill must not be committed
        Json.writeAtomically(out.resolve(StepManifest.FILE), manifest);
        return out.resolve(StepManifest.FILE);
    }

    /** The second half of {@link #commit}: renames the prepared outputs into place. */
    public Path commitPrepared(String kind, String shortId) throws IOException {
        Path out = workOutputs(shortId);
        Path target = committedDir(kind, shortId);
        if (Files.exists(target)) {
            AtomicFiles.deleteTree(target); // only a damaged earlier commit can be here
        }
        AtomicFiles.moveDirectory(out, target);
        AtomicFiles.deleteTree(checkpointDir(shortId));
        return target;
    }

    /** The attempt counter of a step's work directory. */
    public Attempts attempts(String shortId) {
        return new Attempts(workDir(shortId).resolve("attempts"));
    }

    /** Records that a step failed, so that status reports it and gc may remove its work directory. */
    public void markFailed(String shortId, String message) throws IOException {
        AtomicFiles.writeString(workDir(shortId).resolve(WorkDirs.FAILED_MARKER), message == null ? "" : message);
    }

    /** A step started again is no longer "failed" (its marker would otherwise let gc remove live work). */
    public void clearFailed(String shortId) throws IOException {
        Files.deleteIfExists(workDir(shortId).resolve(WorkDirs.FAILED_MARKER));
    }

    /** Removes what is left of the work directory after the lock is released. */
    public void cleanWork(String shortId) throws IOException {
        AtomicFiles.deleteTree(workDir(shortId));
    }
}
