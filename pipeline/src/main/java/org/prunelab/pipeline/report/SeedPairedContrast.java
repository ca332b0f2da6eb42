package org.prunelab.pipeline.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A claim tested as a seed-paired difference with a 95 % t-interval, and a verdict computed from
 * the interval (rbm-dilution protocol §6 "Verdicts"). Written in a config as
 * <pre>  LABEL: METRIC: GROUP@X - GROUP@X OP MARGIN</pre>
 * e.g. {@code C2: test_pll: random@0.8 - random@0 > -5} ("diluting to 80 % costs less than 5 nats").
 * Both sides are matched by seed (same initialisation and data order), so the per-seed difference
 * removes that source of variation.
 *
 * <p>Verdict for {@code > m}: <b>reproduced</b> when the whole interval is above m, <b>not
 * reproduced</b> when the whole interval is below m, <b>inconclusive</b> otherwise (and with fewer
 * than 2 pairs). {@code < m} mirrors it. {@code ~ m} claims "no difference beyond ±m" (an
 * equivalence test): reproduced when the interval lies inside (−m, m), not reproduced when it lies
 * entirely outside, inconclusive otherwise.
 */
public record SeedPairedContrast(String label, String metric, String groupA, double xA, String groupB, double xB,
                                 String op, double margin) {
    private static final Pattern FORM = Pattern.compile(
            "\\s*([^:]+?)\\s*:\\s*([^:]+?)\\s*:\\s*(\\S+)@([-0-9.eE]+)\\s+-\\s+(\\S+)@([-0-9.eE]+)\\s*([<>~])\\s*([-0-9.eE]+)\\s*");

    /** Parses the {@code ;}-separated contrasts of {@code key}; a malformed one names the key and the text. */
    public static List<SeedPairedContrast> parseAll(String key, String text) {
        List<SeedPairedContrast> out = new ArrayList<>();
        for (String part : text.split(";")) {
            if (part.isBlank() || part.trim().equals("-")) {
                continue;
            }
            Matcher m = FORM.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException(key + ": '" + part.trim()
                        + "' is not LABEL: METRIC: GROUP@X - GROUP@X (<|>|~) MARGIN");
            }
            out.add(new SeedPairedContrast(m.group(1), m.group(2), m.group(3), Double.parseDouble(m.group(4)),
                    m.group(5), Double.parseDouble(m.group(6)), m.group(7), Double.parseDouble(m.group(8))));
        }
        return out;
    }

    /** The outcome: pairs, mean difference, its interval, the verdict. */
    public record Outcome(SeedPairedContrast contrast, int pairs, double mean, double low, double high,
                          String verdict) {
        public Map<String, Object> row() {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("claim", contrast.label());
            r.put("metric", contrast.metric());
            r.put("a", contrast.groupA() + "@" + RunLabels.number(contrast.xA()));
            r.put("b", contrast.groupB() + "@" + RunLabels.number(contrast.xB()));
            r.put("expected", "a - b " + contrast.op() + " " + RunLabels.number(contrast.margin()));
            r.put("pairs", pairs);
            r.put("mean_difference", mean);
            r.put("ci95_low", low);
            r.put("ci95_high", high);
            r.put("verdict", verdict);
            return r;
        }

        public String summary() {
            return String.format(Locale.ROOT, "%+.2f [%.2f, %.2f] (%d pairs)", mean, low, high, pairs);
        }
    }

    /**
     * Evaluates this contrast on report rows (columns {@code x}, {@code group}, {@code seed} and the
     * metric); rows are usually the converged ones only.
     */
    public Outcome evaluate(List<Map<String, Object>> rows, String xColumn, String groupColumn) {
        Map<String, Double> a = bySeed(rows, xColumn, groupColumn, groupA, xA, metric);
        Map<String, Double> b = bySeed(rows, xColumn, groupColumn, groupB, xB, metric);
        List<Double> diffs = new ArrayList<>();
        for (var e : a.entrySet()) {
            Double other = b.get(e.getKey());
            if (other != null) {
                diffs.add(e.getValue() - other);
            }
        }
        double mean = SweepReport.mean(diffs);
        double half = diffs.size() > 1 ? SweepReport.tQuantile(diffs.size() - 1) * SweepReport.sd(diffs)
                / Math.sqrt(diffs.size()) : Double.NaN;
        double low = mean - half;
        double high = mean + half;
        return new Outcome(this, diffs.size(), mean, low, high, verdict(low, high));
    }

    String verdict(double low, double high) {
        if (!Double.isFinite(low) || !Double.isFinite(high)) {
            return "inconclusive";
        }
        if (op.equals("~")) {
            boolean inside = low > -margin && high < margin;
            boolean outside = low > margin || high < -margin;
            return inside ? "reproduced" : outside ? "not reproduced" : "inconclusive";
        }
        boolean above = low > margin;
        boolean below = high < margin;
        if (op.equals(">")) {
            return above ? "reproduced" : below ? "not reproduced" : "inconclusive";
        }
        return below ? "reproduced" : above ? "not reproduced" : "inconclusive";
    }

    private static Map<String, Double> bySeed(List<Map<String, Object>> rows, String xColumn, String groupColumn,
                                              String group, double x, String metric) {
        Map<String, Double> out = new TreeMap<>();
        for (Map<String, Object> row : rows) {
            double rx = PointTable.number(row.get(xColumn));
            if (!String.valueOf(row.getOrDefault(groupColumn, "all")).equals(group) || Math.abs(rx - x) > 5e-5) {
                continue;
            }
            double v = PointTable.number(row.get(metric));
            if (Double.isNaN(v)) {
                continue;
            }
            out.put(String.valueOf(row.getOrDefault("seed", "1")), v);
        }
        return out;
    }
}
