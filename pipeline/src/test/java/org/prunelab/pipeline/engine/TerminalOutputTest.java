package org.prunelab.pipeline.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.pipeline.plan.Planner;
import org.prunelab.pipeline.store.StepStore;
import org.prunelab.pipeline.track.PipelineTracking;

/**
 * What a person sees in a terminal (issue 14): a sweep's progress line, redrawn in place, never
 * swallows the next point's header; training shows its progress with rate and time left inside a
 * sweep too; {@code status} says "unknown" until a duration has been measured.
 */
class TerminalOutputTest {
    @TempDir
    Path work;

    private Path sweepConfig() throws Exception {
        Path config = work.resolve("sweep.yaml");
        Files.writeString(config, String.join("\n",
                "experiment: terminal",
                "pipeline: linreg",
                "seed: 5",
                "linreg: {samples: 240, features: 8, epochs: [1, 2, 3]}",
                ""));
        return config;
    }

    /**
     * What a terminal shows for this output: a carriage return goes back to the line's start,
     * ESC[K erases the rest of the line, a newline starts a new one.
     */
    static List<String> screen(String output) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int cursor = 0;
        for (int i = 0; i < output.length(); i++) {
            char c = output.charAt(i);
            if (c == '\n') {
                lines.add(line.toString());
                line.setLength(0);
                cursor = 0;
            } else if (c == '\r') {
                cursor = 0;
            } else if (c == '\033' && output.startsWith("[K", i + 1)) {
                line.setLength(cursor);
                i += 2;
            } else {
                if (cursor < line.length()) {
                    line.setCharAt(cursor, c);
                } else {
                    line.append(c);
                }
                cursor++;
            }
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    @Test
    void everySweepHeaderStaysOnScreenOnALineOfItsOwnAndTrainingShowsRateAndTimeLeft() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        StepStore store = new StepStore(work.resolve("runs"));
        Planner planner = new Planner(store);
        ConsoleProgress terminal = new ConsoleProgress(out, 0, true); // redraw on every step, as on a tty
        new SweepRunner(store, planner, PipelineTracking.disabled(), out, terminal)
                .run(ExperimentConfig.load(sweepConfig(), List.of()), null);
        List<String> screen = screen(bytes.toString(StandardCharsets.UTF_8));
        for (int point = 1; point <= 3; point++) {
            String header = "[" + point + "/3] ";
            assertEquals(1, screen.stream().filter(l -> l.startsWith(header)).count(),
                    "header " + header + " on a line of its own:\n" + String.join("\n", screen));
        }
        assertTrue(screen.stream().anyMatch(l -> l.matches("\\s+sweep 3/3 \\(100%, [0-9.]+/s\\).*")),
                String.join("\n", screen));
        Pattern training = Pattern.compile("\\s+train \\d+/(\\d+) \\(\\d+%, [0-9.]+/s.*");
        long trainingLines = screen.stream().map(training::matcher).filter(Matcher::matches).count();
        assertTrue(trainingLines >= 3, "a progress line of the training in each point:\n" + String.join("\n", screen));
    }

    @Test
    void slowRatesKeepTheirDigits() {
        assertEquals("0.0167", ConsoleProgress.rate(1.0 / 60), "one sweep point a minute is not 0.0/s");
        assertEquals("12.3", ConsoleProgress.rate(12.345));
        assertEquals("1234", ConsoleProgress.rate(1234.4));
        assertEquals("0", ConsoleProgress.rate(0));
    }

    @Test
    void statusSaysUnknownUntilADurationIsMeasured() throws Exception {
        StepStore store = new StepStore(work.resolve("runs"));
        Planner planner = new Planner(store);
        ExperimentConfig config = ExperimentConfig.load(sweepConfig(), List.of());
        ByteArrayOutputStream before = new ByteArrayOutputStream();
        new StatusReport(store, planner).print(config, new PrintStream(before, true, StandardCharsets.UTF_8));
        assertTrue(before.toString(StandardCharsets.UTF_8).contains("estimated time left unknown (no duration measured yet"),
                before.toString(StandardCharsets.UTF_8));

        new SweepRunner(store, planner, PipelineTracking.disabled(), new PrintStream(new ByteArrayOutputStream()),
                org.prunelab.stages.Progress.SILENT).run(config, null);
        ByteArrayOutputStream after = new ByteArrayOutputStream();
        new StatusReport(store, planner).print(config, new PrintStream(after, true, StandardCharsets.UTF_8));
        assertTrue(after.toString(StandardCharsets.UTF_8).contains("done 3, running 0, failed 0, pending 0; estimated time left 0 s"),
                after.toString(StandardCharsets.UTF_8));
    }

    private static String status(StepStore store, Planner planner, Path config) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new StatusReport(store, planner).print(ExperimentConfig.load(config, List.of()),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * The time left comes from this sweep's own measured steps of the same name: another study's
     * trainings of the same kind in the runs directory (here made to look 10,000 s long) do not count.
     */
    @Test
    void statusEstimatesFromTheSweepsOwnSteps() throws Exception {
        StepStore store = new StepStore(work.resolve("runs"));
        Planner planner = new Planner(store);
        Path other = work.resolve("other.yaml");
        Files.writeString(other, "experiment: terminal\npipeline: linreg\nseed: 7\n"
                + "linreg: {samples: 240, features: 8, epochs: [1, 2]}\n");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        new SweepRunner(store, planner, PipelineTracking.disabled(), quiet, org.prunelab.stages.Progress.SILENT)
                .run(ExperimentConfig.load(other, List.of()), null);
        try (var manifests = Files.walk(work.resolve("runs").resolve("steps").resolve("linreg.train"))) {
            for (Path m : manifests.filter(f -> f.getFileName().toString().equals("manifest.json")).toList()) {
                Files.writeString(m, Files.readString(m).replaceAll("\"seconds\"\\s*:\\s*[0-9.Ee+-]+",
                        "\"seconds\" : 10000.0"));
            }
        }
        new SweepRunner(store, planner, PipelineTracking.disabled(), quiet, org.prunelab.stages.Progress.SILENT)
                .run(ExperimentConfig.load(sweepConfig(), List.of()), null);
        Path more = work.resolve("more.yaml");
        Files.writeString(more, Files.readString(sweepConfig()).replace("epochs: [1, 2, 3]", "epochs: [1, 2, 3, 4]"));

        String text = status(store, planner, more);
        Matcher left = Pattern.compile("pending 1; estimated time left ([0-9]+) s").matcher(text);
        assertTrue(left.find(), text);
        assertTrue(Integer.parseInt(left.group(1)) < 100, "the other sweep's 10,000-s trainings leaked in:\n" + text);
        // A sweep that has measured nothing of its own falls back to every committed step of the kind.
        Path fresh = work.resolve("fresh.yaml");
        Files.writeString(fresh, Files.readString(sweepConfig()).replace("seed: 5", "seed: 9"));
        Matcher guess = Pattern.compile("estimated time left ([0-9]+) s").matcher(status(store, planner, fresh));
        assertTrue(guess.find());
        assertTrue(Integer.parseInt(guess.group(1)) >= 3 * 10000 * 2 / 5, "3 trainings at the mean of all of them");
    }
}
