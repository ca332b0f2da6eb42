package org.prunelab.pipeline.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Is a quality-vs-sparsity curve a sharp step, or just a smooth decline that a logistic happens to
 * centre on? (rbm-dilution protocol §8 "Sharpness tested".) The pooled points are fitted by four
 * least-squares models and compared by AIC (small-sample corrected, AICc):
 * <ul>
 *   <li>linear (2 parameters), quadratic (3);</li>
 *   <li>piecewise-linear: continuous, one break point chosen by grid search (4: two lines + break);</li>
 *   <li>logistic step {@link TransitionFit} (4: centre, width, two levels).</li>
 * </ul>
 * The transition's width is the 10–90 % width of the logistic, 2·ln 9·w, with a 95 % interval from a
 * bootstrap over the series (seeds): seeds are resampled and the pooled points refitted.
 *
 * <p>Verdict: <b>sharp</b> when the logistic has the lowest AICc by at least {@link #DELTA_AIC} over
 * every smooth alternative and the upper end of the width's interval is at most
 * {@code maxWidth}; <b>not sharp</b> when a smooth model wins by {@link #DELTA_AIC} or the width's
 * interval lies entirely above {@code maxWidth}; <b>inconclusive</b> otherwise.
 */
public final class CurveModels {
    /** AIC difference that counts as clear support (Burnham and Anderson's "substantially less"). */
    public static final double DELTA_AIC = 2.0;
    private static final int BOOTSTRAP = 200;
    private static final double WIDTH_10_90 = 2 * Math.log(9);

    private CurveModels() {
    }

    /** One model's fit: name, parameters, residual sum of squares, AICc. */
    public record Fit(String model, int parameters, double sse, double aicc) { }

    /** The comparison and the width. */
    public record Result(List<Fit> fits, String best, double deltaToNextSmooth, double centre, double width,
                         double widthLow, double widthHigh, String verdict, int points) {
        /** One row per model for a CSV, with the verdict repeated. */
        public List<Map<String, Object>> rows(String label) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Fit f : fits) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("curve", label);
                r.put("model", f.model());
                r.put("parameters", f.parameters());
                r.put("sse", f.sse());
                r.put("aicc", f.aicc());
                r.put("best", f.model().equals(best) ? 1 : 0);
                r.put("points", points);
                r.put("logistic_centre", centre);
                r.put("width_10_90", width);
                r.put("width_ci95_low", widthLow);
                r.put("width_ci95_high", widthHigh);
                r.put("verdict", verdict);
                out.add(r);
            }
            return out;
        }
    }

    /**
     * Compares the models on the pooled points of every series.
     *
     * @param series   name (seed) to {x[], y[]}
     * @param maxWidth largest 10–90 % width (x units) still called sharp
     */
    public static Result compare(Map<String, double[][]> series, double maxWidth, long seed) {
        return compare(series, maxWidth, seed, BOOTSTRAP);
    }

    /** As {@link #compare(Map, double, long)} with {@code bootstrap} resamples for the width's interval. */
    public static Result compare(Map<String, double[][]> series, double maxWidth, long seed, int bootstrap) {
        double[][] pooled = pool(series, new ArrayList<>(series.keySet()));
        int n = pooled[0].length;
        if (TransitionFit.distinct(pooled[0]) < 5) {
            throw new IllegalArgumentException("a curve-model comparison needs at least 5 distinct x values");
        }
        List<Fit> fits = new ArrayList<>();
        fits.add(fit("linear", 2, polynomialSse(pooled[0], pooled[1], 1), n));
        fits.add(fit("quadratic", 3, polynomialSse(pooled[0], pooled[1], 2), n));
        fits.add(fit("piecewise-linear", 4, hingeSse(pooled[0], pooled[1]), n));
        TransitionFit.Curve logistic = TransitionFit.fitContinuous(pooled[0], pooled[1]);
        fits.add(fit("logistic", 4, logistic.sse(), n));
        Fit best = fits.get(0);
        for (Fit f : fits) {
            if (f.aicc() < best.aicc()) {
                best = f;
            }
        }
        double bestSmooth = fits.stream().filter(f -> !f.model().equals("logistic")).mapToDouble(Fit::aicc).min()
                .orElseThrow();
        double logisticAic = fits.get(3).aicc();
        double delta = bestSmooth - logisticAic; // > 0: the logistic is better

        List<String> names = new ArrayList<>(series.keySet());
        SplittableRandom rng = new SplittableRandom(seed);
        double[] widths = new double[bootstrap];
        for (int b = 0; b < bootstrap; b++) {
            List<String> draw = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                draw.add(names.get(rng.nextInt(names.size())));
            }
            double[][] p = pool(series, draw);
            widths[b] = TransitionFit.distinct(p[0]) >= TransitionFit.MIN_DISTINCT_X ? WIDTH_10_90 * TransitionFit.fitContinuous(p[0], p[1]).width() : Double.NaN;
        }
        double[] finite = java.util.Arrays.stream(widths).filter(Double::isFinite).sorted().toArray();
        double low = finite.length == 0 ? Double.NaN : finite[(int) Math.floor(0.025 * (finite.length - 1))];
        double high = finite.length == 0 ? Double.NaN : finite[(int) Math.ceil(0.975 * (finite.length - 1))];
        if (names.size() == 1) {
            // One series: a seed bootstrap says nothing about spread; keep the point estimate, no interval.
            low = Double.NaN;
            high = Double.NaN;
        }
        double width = WIDTH_10_90 * logistic.width();
        String verdict;
        if (delta <= -DELTA_AIC || (Double.isFinite(low) && low > maxWidth)) {
            verdict = "not sharp";
        } else if (delta >= DELTA_AIC && Double.isFinite(high) && high <= maxWidth) {
            verdict = "sharp";
        } else {
            verdict = "inconclusive";
        }
        return new Result(List.copyOf(fits), best.model(), delta, logistic.centre(), width, low, high, verdict, n);
    }

    private static double[][] pool(Map<String, double[][]> series, List<String> names) {
        int n = 0;
        for (String s : names) {
            n += series.get(s)[0].length;
        }
        double[] x = new double[n];
        double[] y = new double[n];
        int i = 0;
        for (String s : names) {
            double[][] p = series.get(s);
            System.arraycopy(p[0], 0, x, i, p[0].length);
            System.arraycopy(p[1], 0, y, i, p[1].length);
            i += p[0].length;
        }
        return new double[][] {x, y};
    }

    /** AICc = n·ln(SSE/n) + 2k + 2k(k+1)/(n−k−1) (Gaussian errors, variance estimated: k counts it). */
    static Fit fit(String model, int parameters, double sse, int n) {
        int k = parameters + 1; // + the residual variance
        double rss = Math.max(sse, 1e-300 * n);
        double aic = n * Math.log(rss / n) + 2 * k;
        double correction = n - k - 1 > 0 ? 2.0 * k * (k + 1) / (n - k - 1) : Double.POSITIVE_INFINITY;
        return new Fit(model, parameters, sse, aic + correction);
    }

    /** Residual sum of squares of the least-squares polynomial of this degree (normal equations, x centred). */
    static double polynomialSse(double[] x, double[] y, int degree) {
        int n = x.length;
        int p = degree + 1;
        double mean = java.util.Arrays.stream(x).average().orElse(0);
        double[][] a = new double[p][p + 1];
        for (int i = 0; i < n; i++) {
            double[] pow = new double[p];
            pow[0] = 1;
            for (int d = 1; d < p; d++) {
                pow[d] = pow[d - 1] * (x[i] - mean);
            }
            for (int r = 0; r < p; r++) {
                for (int c = 0; c < p; c++) {
                    a[r][c] += pow[r] * pow[c];
                }
                a[r][p] += pow[r] * y[i];
            }
        }
        double[] coef = solve(a, p);
        if (coef == null) {
            throw new IllegalArgumentException("a degree-" + degree + " fit needs at least " + p + " distinct x values");
        }
        double sse = 0;
        for (int i = 0; i < n; i++) {
            double f = 0;
            double t = 1;
            for (int d = 0; d < p; d++) {
                f += coef[d] * t;
                t *= x[i] - mean;
            }
            sse += (y[i] - f) * (y[i] - f);
        }
        return sse;
    }

    /**
     * Continuous piecewise-linear fit y = a + b·x + c·max(0, x − k): for each break k on a fine grid
     * strictly inside the x range, the three coefficients by least squares; the best k wins.
     */
    static double hingeSse(double[] x, double[] y) {
        double lo = java.util.Arrays.stream(x).min().orElseThrow();
        double hi = java.util.Arrays.stream(x).max().orElseThrow();
        double best = Double.POSITIVE_INFINITY;
        int grid = 400;
        for (int g = 1; g < grid; g++) {
            double k = lo + (hi - lo) * g / grid;
            double[][] a = new double[3][4];
            for (int i = 0; i < x.length; i++) {
                double[] f = {1, x[i], Math.max(0, x[i] - k)};
                for (int r = 0; r < 3; r++) {
                    for (int c = 0; c < 3; c++) {
                        a[r][c] += f[r] * f[c];
                    }
                    a[r][3] += f[r] * y[i];
                }
            }
            double[] coef = solve(a, 3);
            if (coef == null) {
                continue;
            }
            double sse = 0;
            for (int i = 0; i < x.length; i++) {
                double r = y[i] - (coef[0] + coef[1] * x[i] + coef[2] * Math.max(0, x[i] - k));
                sse += r * r;
            }
            best = Math.min(best, sse);
        }
        return best;
    }

    /** Gaussian elimination with partial pivoting on an augmented p×(p+1) matrix; null when singular. */
    private static double[] solve(double[][] a, int p) {
        for (int col = 0; col < p; col++) {
            int pivot = col;
            for (int r = col + 1; r < p; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            if (Math.abs(a[pivot][col]) < 1e-12) {
                return null;
            }
            double[] tmp = a[col];
            a[col] = a[pivot];
            a[pivot] = tmp;
            for (int r = 0; r < p; r++) {
                if (r != col) {
                    double f = a[r][col] / a[col][col];
                    for (int c = col; c <= p; c++) {
                        a[r][c] -= f * a[col][c];
                    }
                }
            }
        }
        double[] out = new double[p];
        for (int r = 0; r < p; r++) {
            out[r] = a[r][p] / a[r][r];
        }
        return out;
    }
}
