package org.prunelab.pipeline;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.prunelab.pipeline.cli.Main;

/** Small real-data configs and ways to run the CLI, in this JVM or in a separate one. */
public final class TinyConfigs {
    private TinyConfigs() {
    }

    /**
     * A config file with the given extra YAML lines added to a fast base. An extra line for a
     * top-level key of the base ({@code data:}, {@code evaluate:}) replaces the base line: configs
     * refuse a key given twice, so the base must not repeat it.
     */
    public static Path write(Path dir, String name, String experiment, String... lines) throws Exception {
        List<String> yaml = new ArrayList<>();
        for (String base : List.of(
                "experiment: " + experiment,
                "data: {dir: '" + TestEnvironment.mnistDir() + "', train_limit: 300, test_limit: 100}",
                "evaluate: {samples: 5, gibbs_sweeps: 5, pll_samples: 50}")) {
            String key = base.substring(0, base.indexOf(':') + 1);
            if (List.of(lines).stream().noneMatch(line -> line.startsWith(key))) {
                yaml.add(base);
            }
        }
        yaml.addAll(List.of(lines));
        Path file = dir.resolve(name);
        Files.writeString(file, String.join("\n", yaml) + "\n");
        return file;
    }

    /** Output and exit code of one CLI invocation in this JVM. */
    public record Outcome(int code, String output) { }

    public static Outcome cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = new Main(print, print).execute(args);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8));
    }

    /** The command line that runs the CLI in a new JVM with this test's classpath. */
    public static List<String> javaCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Manifests of committed steps with the given step name. */
    public static long committedSteps(Path runs, String kind, String step) throws Exception {
        Path dir = runs.resolve("steps").resolve(kind);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var dirs = Files.list(dir)) {
            long n = 0;
            for (Path d : dirs.toList()) {
                if (Files.readString(d.resolve("manifest.json")).contains("\"step\" : \"" + step + "\"")) {
                    n++;
                }
            }
            return n;
        }
    }
}
