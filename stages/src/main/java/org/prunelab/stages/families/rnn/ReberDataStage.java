package org.prunelab.stages.families.rnn;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.data.reber.ReberCsv;
import org.prunelab.stages.data.reber.ReberSet;
import org.prunelab.stages.data.reber.ReberSetGenerator;
import org.prunelab.stages.data.reber.ReberStatistics;

/**
 * load-data for the Reber task: generates the labelled strings from the automaton (seeded by
 * {@code data.seed}, the same for every model seed) or reads a user's {@code train.csv} and
 * {@code test.csv}; writes both splits as CSV and logs the length statistics of each label next to
 * the authors' (valid 11–53, mean 23.6; invalid 11–48, mean 18.7), since length is a partial cue.
 */
public final class ReberDataStage implements Stage {
    static final String TRAIN = "train.csv";
    static final String TEST = "test.csv";

    @Override
    public String kind() {
        return "reber.data";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return RnnKeys.dataKeys();
    }

    @Override
    public List<Path> externalInputs(StageConfig config) {
        if (!config.get(RnnKeys.SOURCE).equals("csv")) {
            return List.of();
        }
        Path dir = Path.of(config.get(RnnKeys.CSV_DIR)).toAbsolutePath().normalize();
        return List.of(dir.resolve(TRAIN), dir.resolve(TEST));
    }

    @Override
    public void run(StageContext context) throws Exception {
        StageConfig config = context.config();
        ReberSet train;
        ReberSet test;
        if (config.get(RnnKeys.SOURCE).equals("csv")) {
            List<Path> files = externalInputs(config);
            train = ReberCsv.read(files.get(0));
            test = ReberCsv.read(files.get(1));
        } else {
            ReberSetGenerator.Split split = ReberSetGenerator.generate(new ReberSetGenerator.Settings(
                    config.get(RnnKeys.VALID), config.get(RnnKeys.FOREIGN), config.get(RnnKeys.BROKEN),
                    config.get(RnnKeys.TRAIN_SIZE), config.get(RnnKeys.MIN_LENGTH), config.get(RnnKeys.CORRUPTION)),
                    config.get(RnnKeys.DATA_SEED));
            train = split.train();
            test = split.test();
        }
        write(train, context.workDir().resolve(TRAIN));
        write(test, context.workDir().resolve(TEST));
        for (Map.Entry<String, ReberSet> part : Map.of("train_", train, "test_", test).entrySet()) {
            ReberStatistics.of(part.getValue()).asMetrics(part.getKey())
                    .forEach((k, v) -> context.metrics().log(k, v));
        }
        ReberStatistics t = ReberStatistics.of(test);
        context.progress().log(String.format(java.util.Locale.ROOT,
                "Reber task: %d train / %d test strings; test valid lengths %d-%d (mean %.1f), invalid %d-%d (mean %.1f),"
                        + " chance %.3f (authors: valid 11-53 mean 23.6, invalid 11-48 mean 18.7, chance 0.494)",
                train.size(), test.size(), t.validMin(), t.validMax(), t.validMean(), t.invalidMin(), t.invalidMax(),
                t.invalidMean(), t.invalidShare()));
    }

    private static void write(ReberSet set, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            ReberCsv.write(set, w);
        }
    }

    /** The two splits a finished load-data step wrote. */
    static ReberSet[] read(Path stepDir) throws IOException {
        return new ReberSet[] {ReberCsv.read(stepDir.resolve(TRAIN)), ReberCsv.read(stepDir.resolve(TEST))};
    }
}
