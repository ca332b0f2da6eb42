package org.prunelab.pipeline.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Locates a sharp transition: per seed, quality q(x) is fitted by a logistic step
 * q = lo + (hi − lo)·σ(−(x − c)/w), whose centre c is that seed's critical value. The pooled critical
 * value is the mean of the seeds' centres, and its 95 % interval comes from a residual bootstrap
 * (each seed's residuals resampled and refitted), so it reflects both noise and seed spread.
 *
 * <p>The fit is a deterministic grid search over (c, w) with lo and hi solved in closed form: no
 * starting values, no local minima to fall into, the same answer on every machine.
 */
public final class TransitionFit {
    private static final int CENTRES = 241;
    private static final int WIDTHS = 40;
    private static final int BOOTSTRAP = 200;
    /** Distinct x values a series needs for a logistic of its own. */
    public static final int MIN_DISTINCT_X = 4;

    private TransitionFit() {
    }

    /** One seed's fitted step. */
    public record Curve(double centre, double width, double low, double high, double sse) {
        double at(double x) {
            return low + (high - low) * sigmoid(-(x - centre) / width);
        }
    }

    /** The pooled result. */
    public record Result(double critical, double lower, double upper, Map<String, Curve> perSeries, int points) {
        public double width() {
            return upper - lower;
        }
    }

    /** Fits one series of (x, y) points (at least 4 distinct x values). */
    public static Curve fit(double[] x, double[] y) {
        double lo = Arrays.stream(x).min().orElseThrow();
        double hi = Arrays.stream(x).max().orElseThrow();
        if (distinct(x) < MIN_DISTINCT_X) {
            throw new IllegalArgumentException("a transition fit needs at least 4 distinct x values");
        }
        double span = Math.max(hi - lo, 1e-9);
        Curve best = null;
        for (int ci = 0; ci < CENTRES; ci++) {
            double c = lo + span * ci / (CENTRES - 1);
            best = better(best, bestWidth(x, y, c, span));
        }
        // Refine around the best centre on a grid ten times finer.
        double step = span / (CENTRES - 1);
        for (int ci = -10; ci <= 10; ci++) {
            best = better(best, bestWidth(x, y, best.centre() + step * ci / 10.0, span));
        }
        return best;
    }

    /**
     * As {@link #fit}, then polished off the grid: golden-section searches in log w and in c around the
     * grid optimum, alternately, each accepted only if it lowers the residual sum of squares. The width
     * grid steps by 19 %, so widths read off it alone are quantised: a bootstrap of them collapses onto
     * one grid value and reports an interval of zero length. The centre grid is fine already, which is why
     * the transition locator (whose centres pick a sweep's refinement points) keeps the plain grid fit.
     */
    public static Curve fitContinuous(double[] x, double[] y) {
        Curve best = fit(x, y);
        double lo = Arrays.stream(x).min().orElseThrow();
        double hi = Arrays.stream(x).max().orElseThrow();
        double span = Math.max(hi - lo, 1e-9);
        double widthStep = Math.pow(10, 3.0 / (WIDTHS - 1));
        double centreStep = span / (CENTRES - 1);
        for (int round = 0; round < 4; round++) {
            double c = best.centre();
            double w = best.width();
            double wLow = Math.max(w / widthStep, 1e-3 * span);
            double wHigh = Math.min(w * widthStep, span);
            best = better(best, goldenSection(lnW -> levels(x, y, c, Math.exp(lnW)), Math.log(wLow), Math.log(wHigh)));
            double bestW = best.width();
            double centre = best.centre();
            best = better(best, goldenSection(cc -> levels(x, y, cc, bestW), centre - centreStep, centre + centreStep));
        }
        return best;
    }

    /** The curve of least SSE found by golden-section search of {@code curve} over [a, b] (40 steps). */
    private static Curve goldenSection(java.util.function.DoubleFunction<Curve> curve, double a, double b) {
        double r = (Math.sqrt(5) - 1) / 2;
        double c = b - r * (b - a);
        double d = a + r * (b - a);
        Curve fc = curve.apply(c);
        Curve fd = curve.apply(d);
        for (int i = 0; i < 40; i++) {
            if (fc.sse() < fd.sse()) {
                b = d;
                d = c;
                fd = fc;
                c = b - r * (b - a);
                fc = curve.apply(c);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + r * (b - a);
                fd = curve.apply(d);
            }
        }
        return fc.sse() < fd.sse() ? fc : fd;
    }

    private static Curve bestWidth(double[] x, double[] y, double c, double span) {
        Curve best = null;
        for (int wi = 0; wi < WIDTHS; wi++) {
            double w = span * Math.pow(10, -3 + 3.0 * wi / (WIDTHS - 1)); // 0.001·span .. span
            best = better(best, levels(x, y, c, w));
        }
        return best;
    }

    /** Least squares for y = a + b·g(x) with g the logistic step: closed form in (a, b). */
    private static Curve levels(double[] x, double[] y, double c, double w) {
        int n = x.length;
        double sg = 0;
        double sy = 0;
        double sgg = 0;
        double sgy = 0;
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = sigmoid(-(x[i] - c) / w);
            sg += g[i];
            sy += y[i];
            sgg += g[i] * g[i];
            sgy += g[i] * y[i];
        }
        double det = n * sgg - sg * sg;
        double b = Math.abs(det) < 1e-12 ? 0 : (n * sgy - sg * sy) / det;
        double a = (sy - b * sg) / n;
        double sse = 0;
        for (int i = 0; i < n; i++) {
            double r = y[i] - (a + b * g[i]);
            sse += r * r;
        }
        return new Curve(c, w, a, a + b, sse);
    }

    private static Curve better(Curve a, Curve b) {
        return a == null || b.sse() < a.sse() - 1e-15 ? b : a;
    }

    /** How many different values {@code x} holds. */
    static int distinct(double[] x) {
        return new TreeSet<>(Arrays.stream(x).boxed().toList()).size();
    }

    /** Whether any series has enough distinct x for a curve of its own. */
    public static boolean anyFittable(Map<String, double[][]> series) {
        return series.values().stream().anyMatch(xy -> distinct(xy[0]) >= MIN_DISTINCT_X);
    }

    /**
     * Fits every series that has {@link #MIN_DISTINCT_X} distinct x and pools their centres with a
     * bootstrap interval. A shorter series (a seed run only at the refinement points,
     * {@code transition.seeds}) has no curve of its own and is left out; if no series is long enough,
     * the fit refuses.
     *
     * @param all name (e.g. the seed) to its points {x[], y[]}
     */
    public static Result pooled(Map<String, double[][]> all, long seed) {
        Map<String, double[][]> series = new LinkedHashMap<>();
        all.forEach((name, xy) -> {
            if (distinct(xy[0]) >= MIN_DISTINCT_X) {
                series.put(name, xy);
            }
        });
        if (series.isEmpty()) {
            throw new IllegalArgumentException("a transition fit needs a series with at least " + MIN_DISTINCT_X
                    + " distinct x values");
        }
        Map<String, Curve> curves = new LinkedHashMap<>();
        int points = 0;
        for (var e : series.entrySet()) {
            curves.put(e.getKey(), fit(e.getValue()[0], e.getValue()[1]));
            points += e.getValue()[0].length;
        }
        double critical = curves.values().stream().mapToDouble(Curve::centre).average().orElseThrow();
        SplittableRandom rng = new SplittableRandom(seed);
        double[] pooled = new double[BOOTSTRAP];
        List<String> names = new ArrayList<>(series.keySet());
        for (int b = 0; b < BOOTSTRAP; b++) {
            double sum = 0;
            for (int s = 0; s < names.size(); s++) {
                // Seeds are resampled too: the interval covers seed-to-seed variation.
                String name = names.get(names.size() == 1 ? 0 : rng.nextInt(names.size()));
                double[] x = series.get(name)[0];
                double[] y = series.get(name)[1];
                Curve curve = curves.get(name);
                double[] yb = new double[y.length];
                for (int i = 0; i < y.length; i++) {
                    int j = rng.nextInt(y.length);
                    yb[i] = curve.at(x[i]) + (y[j] - curve.at(x[j]));
                }
                sum += fit(x, yb).centre();
            }
            pooled[b] = sum / names.size();
        }
        Arrays.sort(pooled);
        return new Result(critical, pooled[(int) Math.floor(0.025 * (BOOTSTRAP - 1))],
                pooled[(int) Math.ceil(0.975 * (BOOTSTRAP - 1))], curves, points);
    }

    /**
     * New axis values inside the interval, where the fitted curves are steepest, that are not yet
     * measured. Values are rounded to 4 decimals so that they stay readable config values.
     */
    public static List<Double> proposals(Result result, java.util.Collection<Double> existing, int count,
                                         double min, double max) {
        double lo = Math.max(min, result.lower());
        double hi = Math.min(max, result.upper());
        if (hi - lo < 1e-4) {
            lo = Math.max(min, result.critical() - 0.005);
            hi = Math.min(max, result.critical() + 0.005);
        }
        List<Double> out = new ArrayList<>();
        for (int k = 1; k <= count; k++) {
            double v = Math.round((lo + (hi - lo) * k / (count + 1)) * 1e4) / 1e4;
            boolean known = existing.stream().anyMatch(e -> Math.abs(e - v) < 5e-5)
                    || out.stream().anyMatch(e -> Math.abs(e - v) < 5e-5);
            if (!known) {
                out.add(v);
            }
        }
        return out;
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }
}
