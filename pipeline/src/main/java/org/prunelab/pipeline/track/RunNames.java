package org.prunelab.pipeline.track;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.prunelab.pipeline.plan.Plan;
import org.prunelab.pipeline.plan.PlannedStep;

/**
 * Run names a person can read in the MLflow runs table: a pipeline is named after the point it
 * computes ({@code lth s=0.90 seed=3}), a step after its place and stage ({@code train · rbm}), a
 * sweep after its config and day. Names are labels only; runs are found by their tags.
 */
public final class RunNames {
    /** A sweep point's config source ends with "[variant NAME]" (see SweepExpansion). */
    private static final Pattern VARIANT = Pattern.compile("\\[variant ([^\\]]+)\\]");
    /** The keys that tell points apart, with their short label, in the order they are named. */
    private static final List<String[]> AXES = List.of(
            new String[] {"prune.sparsity", "s"},
            new String[] {"reprune.sparsity", "s1"},
            new String[] {"reprune.target_compression", "c"},
            new String[] {"seed", "seed"});

    private RunNames() {
    }

    /** e.g. {@code lth s=0.90 seed=3}; the variant (else the pruning method, when not "none") comes first. */
    public static String pipeline(Plan plan) {
        Map<String, Object> flat = plan.config().flat();
        List<String> parts = new ArrayList<>();
        Matcher m = VARIANT.matcher(plan.config().source());
        if (m.find()) {
            parts.add(m.group(1));
        } else {
            for (String method : new String[] {"reprune.method", "prune.method"}) {
                Object v = flat.get(method);
                if (v != null && !"none".equals(String.valueOf(v))) {
                    parts.add(String.valueOf(v));
                    break;
                }
            }
        }
        for (String[] axis : AXES) {
            Object v = flat.get(axis[0]);
            if (v != null && !(v instanceof List<?>)) {
                parts.add(axis[1] + "=" + format(v));
            }
        }
        return parts.isEmpty() ? plan.experimentName() : String.join(" ", parts);
    }

    /** e.g. {@code train · rbm}, {@code prune-2 · mlp}: the step and the pipeline family. */
    public static String step(PlannedStep step, String family) {
        return step.name() + " · " + family;
    }

    /** e.g. {@code sweep rbm-dilution-quick 2026-11-30}. */
    public static String sweep(String configSource, LocalDate day) {
        String file = configSource.split(" ", 2)[0];
        String base = file.substring(file.lastIndexOf('/') + 1).replaceFirst("\\.ya?ml$", "");
        return "sweep " + base + " " + day;
    }

    public static String sweep(String configSource) {
        return sweep(configSource, LocalDate.now(ZoneOffset.UTC));
    }

    /** Fractions with two decimals at least (0.9 → 0.90), integers as they are. */
    static String format(Object value) {
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            String two = String.format(Locale.ROOT, "%.2f", d);
            return Double.parseDouble(two) == d ? two : stripZeros(String.format(Locale.ROOT, "%.6f", d));
        }
        return String.valueOf(value);
    }

    private static String stripZeros(String s) {
        return s.replaceFirst("0+$", "");
    }
}
