package org.prunelab.pipeline.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;

/**
 * What a sweep reports ({@code report.*}) and whether it hunts a transition ({@code transition.*}).
 * These shape the study, not any step, so they never enter a step identity.
 */
public final class StudySettings {
    static final ConfigKey<String> TABLE = ConfigKey.string("report.table", "metrics",
            "rows of the report: 'metrics' (final metrics of report.step) or STEP/FILE.csv (that CSV of each point)");
    static final ConfigKey<String> STEP = ConfigKey.string("report.step", "evaluate",
            "step whose final metrics form the rows when report.table is 'metrics'");
    static final ConfigKey<String> X = ConfigKey.string("report.x", "-", "column plotted on the x axis");
    static final ConfigKey<String> Y = ConfigKey.string("report.y", "-", "columns plotted, comma-separated");
    static final ConfigKey<String> GROUP = ConfigKey.string("report.group", "variant",
            "column whose values are separate curves");
    static final ConfigKey<Boolean> PAIRED = ConfigKey.bool("report.paired", true,
            "seed-paired differences between groups at each x (same seed = same init and data order)");
    static final ConfigKey<String> SAMPLES = ConfigKey.string("report.samples", "-",
            "STEP/FILE.npy of generated samples (one per row) to show across x as a montage, e.g. evaluate/samples.npy");
    static final ConfigKey<String> REFERENCE = ConfigKey.string("report.reference", "-",
            "CSV of published values (columns group,x,metric,value[,source]) to compare with, at the nearest x");
    static final ConfigKey<String> COMPARE_AT = ConfigKey.string("report.compare_at", "-",
            "x values (comma-separated, e.g. 0.763,0.822) at which every group is compared, seed-paired, with the"
                    + " best group and the dense network (comparison.md)");
    static final ConfigKey<String> BASELINE_GROUP = ConfigKey.string("report.baseline_group", "-",
            "the group that is 'dense' in comparison.md (else each group's own x = 0 rows)");
    static final ConfigKey<String> JOIN = ConfigKey.string("report.join", "-",
            "a second step whose final metrics are added to every row of a 'metrics' table (e.g. graph)");
    static final ConfigKey<String> PREDICT = ConfigKey.string("report.predict", "-",
            "column predicted from the feature columns (performance prediction), e.g. test_accuracy");
    static final ConfigKey<String> PREDICT_BY = ConfigKey.string("report.predict_by", "model.cell",
            "column whose values get separate correlations and regressors (e.g. the cell type)");
    static final ConfigKey<String> FEATURES = ConfigKey.string("report.features", "feature.",
            "prefix of the feature columns");
    static final ConfigKey<Integer> CV_REPEATS = ConfigKey.integer("report.cv_repetitions", 10, 1, 1_000,
            "repetitions of 10-fold cross-validation for the R² interval");
    static final ConfigKey<Boolean> CONVERGENCE = ConfigKey.bool("report.convergence", false,
            "RBM referee report: convergence split, claims, curve models (RbmClaimsReport); only converged runs count");
    static final ConfigKey<String> CLAIMS = ConfigKey.string("report.claims", "-",
            "';'-separated seed-paired claims 'LABEL: METRIC: GROUP@X - GROUP@X (<|>|~) MARGIN' with verdicts");
    static final ConfigKey<String> CURVES = ConfigKey.string("report.curve_models", "-",
            "','-separated GROUP:METRIC curves tested for a sharp transition (logistic vs smooth models, AICc)");
    static final ConfigKey<Double> SHARP_WIDTH = ConfigKey.real("report.sharp_width", 0.1, 1e-6, 1e6,
            "largest 10-90 % transition width (x units) still called sharp");
    static final ConfigKey<String> COUPLINGS = ConfigKey.string("report.couplings", "-",
            "STEP/FILE.npy of Ising couplings J: adds gim.r_dense and gim.delta_dense (agreement with the dense model of the same group and seed)");
    static final ConfigKey<String> T_METRIC = ConfigKey.string("transition.metric", "-",
            "quality column whose collapse is located (empty: no transition search)");
    static final ConfigKey<String> T_AXIS = ConfigKey.string("transition.axis", "-",
            "config key swept and refined (e.g. prune.sparsity)");
    static final ConfigKey<String> T_GROUP = ConfigKey.string("transition.group", "-",
            "only rows of this group (variant) are fitted and refined");
    static final ConfigKey<Double> T_TOLERANCE = ConfigKey.real("transition.tolerance", 0.02, 1e-6, 1.0,
            "stop refining when the 95 % interval of the critical value is narrower than this");
    static final ConfigKey<Integer> T_ROUNDS = ConfigKey.integer("transition.max_rounds", 3, 0, 100,
            "refinement rounds at most");
    static final ConfigKey<Integer> T_POINTS = ConfigKey.integer("transition.points_per_round", 3, 1, 100,
            "new axis values added per round, where the fitted curve is steepest");
    static final ConfigKey<Integer> T_SEEDS = ConfigKey.integer("transition.seeds", 0, 0, 1_000,
            "seeds at each refinement point: the sweep's seeds, then the next integers up to this many (0: the"
                    + " sweep's seeds), so the points near the transition get more seeds than the grid");

    static final List<ConfigKey<?>> KEYS = List.of(TABLE, STEP, X, Y, GROUP, PAIRED, SAMPLES, REFERENCE, COMPARE_AT,
            BASELINE_GROUP, JOIN, PREDICT, PREDICT_BY, FEATURES, CV_REPEATS, CONVERGENCE, CLAIMS, CURVES, SHARP_WIDTH,
            COUPLINGS, T_METRIC, T_AXIS, T_GROUP,
            T_TOLERANCE, T_ROUNDS, T_POINTS, T_SEEDS);

    private final StageConfig values;

    private StudySettings(StageConfig values) {
        this.values = values;
    }

    public static StudySettings of(ExperimentConfig config) {
        Map<String, Object> study = new TreeMap<>();
        Set<String> known = new java.util.HashSet<>();
        KEYS.forEach(k -> known.add(k.name()));
        config.flat().forEach((k, v) -> {
            if (k.startsWith("report.") || k.startsWith("transition.")) {
                if (!known.contains(k)) {
                    throw new ConfigException(config.source() + ": unknown key '" + k + "' (known: " + known + ")");
                }
                study.put(k, v);
            }
        });
        return new StudySettings(StageConfig.resolve(KEYS, study, config.source()));
    }

    public String table() {
        return values.get(TABLE);
    }

    public String step() {
        return values.get(STEP);
    }

    public String x() {
        return values.get(X);
    }

    public List<String> y() {
        List<String> ys = new ArrayList<>();
        for (String part : values.get(Y).split(",")) {
            if (!part.isBlank() && !part.trim().equals("-")) {
                ys.add(part.trim());
            }
        }
        return ys;
    }

    public String group() {
        return values.get(GROUP);
    }

    public boolean paired() {
        return values.get(PAIRED);
    }

    public String reference() {
        return values.get(REFERENCE);
    }

    /** The x values of report.compare_at (empty when '-'). */
    public List<Double> compareAt() {
        List<Double> xs = new ArrayList<>();
        String v = values.get(COMPARE_AT).trim();
        if (v.equals("-") || v.isEmpty()) {
            return xs;
        }
        for (String part : v.split(",")) {
            try {
                xs.add(Double.parseDouble(part.trim()));
            } catch (NumberFormatException e) {
                throw new ConfigException("report.compare_at: '" + part.trim() + "' is not a number (expected x values"
                        + " separated by commas, e.g. 0.763,0.822)");
            }
        }
        return xs;
    }

    public String baselineGroup() {
        return values.get(BASELINE_GROUP);
    }

    public String join() {
        return values.get(JOIN);
    }

    public String predict() {
        return values.get(PREDICT);
    }

    public String predictBy() {
        return values.get(PREDICT_BY);
    }

    public String featurePrefix() {
        return values.get(FEATURES);
    }

    public int cvRepetitions() {
        return values.get(CV_REPEATS);
    }

    public String samples() {
        return values.get(SAMPLES);
    }

    /** Whether the RBM referee report ({@link RbmClaimsReport}) is written. */
    public boolean convergenceReport() {
        return values.get(CONVERGENCE);
    }

    public String claims() {
        return values.get(CLAIMS);
    }

    /** (group, metric) pairs of {@code report.curve_models}. */
    public List<String[]> curveModels() {
        List<String[]> out = new ArrayList<>();
        for (String part : values.get(CURVES).split(",")) {
            String p = part.trim();
            if (p.isEmpty() || p.equals("-")) {
                continue;
            }
            int colon = p.indexOf(':');
            if (colon <= 0 || colon == p.length() - 1) {
                throw new ConfigException("report.curve_models: '" + p + "' is not GROUP:METRIC");
            }
            out.add(new String[] {p.substring(0, colon).trim(), p.substring(colon + 1).trim()});
        }
        return out;
    }

    public String couplings() {
        return values.get(COUPLINGS);
    }

    public double sharpWidth() {
        return values.get(SHARP_WIDTH);
    }

    public boolean hasPlots() {
        return !x().equals("-") && !y().isEmpty();
    }

    public boolean findsTransition() {
        return !values.get(T_METRIC).equals("-");
    }

    public String transitionMetric() {
        return values.get(T_METRIC);
    }

    public String transitionAxis() {
        return values.get(T_AXIS);
    }

    public String transitionGroup() {
        return values.get(T_GROUP);
    }

    public double tolerance() {
        return values.get(T_TOLERANCE);
    }

    public int maxRounds() {
        return values.get(T_ROUNDS);
    }

    public int pointsPerRound() {
        return values.get(T_POINTS);
    }

    /** Seeds per refinement point (0: as many as the sweep has). */
    public int transitionSeeds() {
        return values.get(T_SEEDS);
    }
}
