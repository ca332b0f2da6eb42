package org.prunelab.pipeline.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.pipeline.config.SweepExpansion;
import org.prunelab.pipeline.engine.SweepLedger;
import org.prunelab.pipeline.plan.Plan;
import org.prunelab.pipeline.plan.PlannedStep;
import org.prunelab.pipeline.plan.Planner;
import org.prunelab.pipeline.store.Json;
import org.prunelab.pipeline.store.StepManifest;
import org.prunelab.pipeline.store.StepStore;
import org.prunelab.stages.config.ConfigException;

/**
 * {@code prunelab results CONFIG-or-SWEEP}: one row per point (its swept values, whether it is done,
 * and the headline final metrics of its steps as {@code step.metric}), read from the runs directory
 * alone, so it works offline and while a sweep is still running. The same names as the pipeline runs'
 * metrics in MLflow, so a column found here can be charted there.
 */
final class ResultsCommand {
    private final StepStore store;

    ResultsCommand(StepStore store) {
        this.store = store;
    }

    /** A config file, or the id of a sweep run from this runs directory (its ledger names the config). */
    static Path configOf(String arg, StepStore store) throws IOException {
        Path file = Path.of(arg);
        if (Files.isRegularFile(file)) {
            return file;
        }
        Path ledgerFile = SweepLedger.file(store.root(), arg);
        if (Files.isRegularFile(ledgerFile)) {
            SweepLedger ledger = Json.read(ledgerFile, SweepLedger.class);
            Path config = Path.of(ledger.config().split(" ", 2)[0]);
            if (!Files.isRegularFile(config)) {
                throw new ConfigException("sweep " + arg + " was run from " + config + ", which no longer exists");
            }
            return config;
        }
        throw new ConfigException("'" + arg + "' is neither a config file nor a sweep id in " + store.root().resolve("sweeps"));
    }

    ResultsTable table(ExperimentConfig config) throws IOException {
        Planner planner = new Planner(store);
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        for (SweepExpansion.Point point : SweepExpansion.expand(config)) {
            Plan plan = planner.plan(point.config());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("point", point.index());
            point.axes().forEach((k, v) -> row.put(k, v instanceof Number || v instanceof String ? v : String.valueOf(v)));
            Map<String, Object> metrics = new TreeMap<>();
            int committed = 0;
            for (PlannedStep step : plan.steps()) {
                var manifest = store.committed(step.spec().stage().kind(), step.identity().hash());
                if (manifest.isEmpty()) {
                    continue;
                }
                committed++;
                headline(step.name(), manifest.get(), metrics);
            }
            row.put("state", committed == plan.steps().size() ? "done"
                    : String.format(Locale.ROOT, "%d/%d steps", committed, plan.steps().size()));
            row.putAll(metrics);
            rows.add(row);
        }
        return new ResultsTable(rows);
    }

    /** The same rule as the pipeline runs in MLflow: metrics without a group prefix. */
    private static void headline(String step, StepManifest manifest, Map<String, Object> into) {
        if (manifest.finalMetrics() != null) {
            manifest.finalMetrics().forEach((k, v) -> {
                if (!k.contains(".") && v != null) {
                    into.put(step + "." + k, v);
                }
            });
        }
    }

    static ResultsTable.Format format(String name) {
        try {
            return ResultsTable.Format.valueOf((name == null ? "table" : name).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--format '" + name + "': expected table, csv or markdown");
        }
    }

    static void print(ResultsTable table, List<String> filters, String sort, ResultsTable.Format format, PrintStream out) {
        ResultsTable t = table;
        for (String f : filters) {
            t = t.filter(f);
        }
        if (sort != null) {
            t = t.sort(sort);
        }
        t.print(format, out);
    }
}
