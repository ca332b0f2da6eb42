package org.prunelab.pipeline.store;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.prunelab.stages.config.ErrorMessages;
import org.prunelab.io.Digests;
import org.prunelab.stages.io.DirectoryCheckpointStore;

/**
 * {@code prunelab verify}: re-hashes every committed output against its manifest (no cache), and
 * checks every checkpoint, attempt counter and sweep ledger. Prints each problem with the file and
 * what to do; with {@code quarantine}, moves each damaged step directory or checkpoint aside so
 * that the next run recomputes it.
 */
public final class StepVerifier {
    public record Summary(int steps, int files, long bytes, int checkpoints, int problems) { }

    private final StepStore store;
    private final PrintStream out;
    private int problems;

    public StepVerifier(StepStore store, PrintStream out) {
        this.store = store;
        this.out = out;
    }

    public Summary verify(boolean quarantine) throws IOException {
        problems = 0;
        int steps = 0;
        int files = 0;
        long bytes = 0;
        for (Path stepDir : children(store.root().resolve("steps"), 2)) {
            steps++;
            List<String> found = new ArrayList<>();
            try {
                StepManifest manifest = StepStore.readManifest(stepDir);
                Set<String> listed = new TreeSet<>(manifest.outputs().keySet());
                for (var output : manifest.outputs().entrySet()) {
                    Path file = stepDir.resolve(output.getKey());
                    if (!Files.isRegularFile(file)) {
                        found.add(output.getKey() + ": missing");
                        continue;
                    }
                    files++;
                    bytes += Files.size(file);
                    if (!Digests.sha256(file).equals(output.getValue().sha256())) {
                        found.add(output.getKey() + ": content does not match the SHA-256 in manifest.json");
                    }
                }
                for (String extra : StepStore.digestTree(stepDir).keySet()) {
                    if (!listed.contains(extra)) {
                        found.add(extra + ": not listed in manifest.json (added after the commit)");
                    }
                }
                for (Path temp : TempFiles.find(stepDir)) {
                    found.add(stepDir.relativize(temp) + ": torn temp file ('prunelab gc' removes it)");
                }
            } catch (DamagedFileException e) {
                found.add(StepManifest.FILE + ": " + e.getMessage().substring(e.file().toString().length() + 2));
            }
            if (!found.isEmpty()) {
                boolean onlyTemp = found.stream().allMatch(f -> f.contains("torn temp file"));
                String remedy;
                if (onlyTemp) {
                    remedy = "run 'prunelab gc' to remove it (the step's outputs are intact)";
                } else if (quarantine) {
                    remedy = "moved aside to " + Quarantine.moveAside(stepDir).getFileName()
                            + "; the next run recomputes the step";
                } else {
                    remedy = "delete this directory (or run 'prunelab verify --quarantine') and the next run"
                            + " recomputes the step";
                }
                report(stepDir, found, remedy);
            }
        }
        int checkpoints = 0;
        for (Path work : children(store.root().resolve("work"), 1)) {
            for (Path ckpt : children(work.resolve("checkpoints"), 1)) {
                if (!ckpt.getFileName().toString().startsWith("ckpt-")) {
                    continue;
                }
                checkpoints++;
                try {
                    DirectoryCheckpointStore.verify(ckpt);
                } catch (IOException | RuntimeException e) {
                    report(ckpt, List.of(ErrorMessages.describe(e)), quarantine ? "moved aside to "
                            + Quarantine.moveAside(ckpt).getFileName() + "; the step resumes from an earlier checkpoint"
                            : "the step resumes from an earlier checkpoint automatically (or restarts if none is"
                                    + " intact); 'prunelab verify --quarantine' moves it aside");
                }
            }
            Path attempts = work.resolve("attempts");
            if (Files.exists(attempts)) {
                List<String> warnings = new ArrayList<>();
                if (quarantine) {
                    new Attempts(attempts).read(warnings::add);
                } else if (!Files.readString(attempts).trim().matches("[0-9]{1,7}")) {
                    warnings.add("not a number");
                }
                if (!warnings.isEmpty()) {
                    report(attempts, warnings, quarantine ? "quarantined" : "harmless: the next run moves it aside"
                            + " and counts from 1");
                }
            }
        }
        for (Path ledger : children(store.root().resolve("sweeps"), 1)) {
            if (ledger.getFileName().toString().endsWith(".json") && !Quarantine.isQuarantined(ledger)) {
                try {
                    Json.read(ledger, Object.class);
                } catch (IOException e) {
                    report(ledger, List.of("not valid JSON"), "the next sweep moves it aside and rebuilds it (finished"
                            + " points are reused, nothing is recomputed)");
                }
            }
        }
        out.printf(Locale.ROOT, "verify: %d committed step(s), %d file(s), %s re-hashed; %d checkpoint(s) checked: %s%n",
                steps, files, GarbageCollector.human(bytes), checkpoints,
                problems == 0 ? "all intact" : problems + " problem(s) found");
        return new Summary(steps, files, bytes, checkpoints, problems);
    }

    private void report(Path where, List<String> found, String remedy) {
        problems++;
        out.println("DAMAGED " + where);
        for (String f : found) {
            out.println("    " + f);
        }
        out.println("    -> " + remedy);
    }

    /** Directories (depth 1) or directories of directories (depth 2), sorted, quarantined ones left out. */
    private static List<Path> children(Path dir, int depth) throws IOException {
        List<Path> result = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return result;
        }
        List<Path> level;
        try (var list = Files.list(dir)) {
            level = list.filter(p -> !Quarantine.isQuarantined(p) && !TempFiles.isTemp(p)).sorted().toList();
        }
        for (Path p : level) {
            if (depth == 1) {
                result.add(p);
            } else if (Files.isDirectory(p)) {
                result.addAll(children(p, depth - 1).stream().filter(Files::isDirectory).toList());
            }
        }
        return result;
    }
}
