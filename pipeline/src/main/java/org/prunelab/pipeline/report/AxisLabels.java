package org.prunelab.pipeline.report;

import java.util.List;
import java.util.Locale;

/**
 * Axis titles with units for the columns a study plots. A figure in a paper names the quantity and
 * its unit ("test pseudo-log-likelihood (nats per image)"), not the CSV column; columns we do not
 * know keep their name, so nothing is mislabelled.
 */
final class AxisLabels {
    private record Rule(String contains, String label) { }

    /** First match wins; matched against the column without its step prefix. */
    private static final List<Rule> RULES = List.of(
            new Rule("test_accuracy_after_retrain", "test accuracy after re-training (fraction correct)"),
            new Rule("test_accuracy_before_retrain", "test accuracy before re-training (fraction correct)"),
            new Rule("accuracy", "accuracy (fraction correct)"),
            new Rule("test_exact_ll", "test log-likelihood, exact (nats per image)"),
            new Rule("test_ais_ll", "test log-likelihood, AIS (nats per image)"),
            new Rule("test_pll", "test pseudo-log-likelihood (nats per image)"),
            new Rule("pll", "pseudo-log-likelihood (nats per image)"),
            new Rule("recon_error", "reconstruction error (mean squared error per pixel)"),
            new Rule("free_energy_gap", "free-energy gap, test − train (nats)"),
            new Rule("log_z", "log Z (nats)"),
            new Rule("inception", "inception-style score (1 to 10)"),
            new Rule("seconds", "time (s)"),
            new Rule("compression", "compression (fraction of weights removed)"),
            new Rule("sparsity", "sparsity (fraction of connections removed)"),
            new Rule("connections", "connections (count)"));

    private AxisLabels() {
    }

    static String of(String column) {
        String bare = column.contains(".") ? column.substring(column.lastIndexOf('.') + 1) : column;
        for (Rule r : RULES) {
            if (bare.contains(r.contains())) {
                String label = r.label();
                // A dotted column names where it came from (reprune.sparsity is s₁, prune.sparsity s₀).
                return column.equals(bare) ? label : label + " [" + column + "]";
            }
        }
        return column;
    }

    /** True for x columns that are fractions removed, which crowd near 1 on a linear axis. */
    static boolean isFractionRemoved(String column) {
        String c = column.toLowerCase(Locale.ROOT);
        return c.contains("sparsity") || c.contains("compression");
    }
}
