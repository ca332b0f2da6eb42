package org.prunelab.stages.families.rbm;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.prunelab.io.AtomicFiles;

/**
 * Generalized Ising model mapping of a binary RBM (rbm-dilution protocol §7.6; Decelle, Furtlehner,
 * Navas Gómez &amp; Seoane, arXiv 2309.02292). With spins σ = 2v − 1, w_iμ = M_iμ W_iμ / 4,
 * η_i = a_i/2 + Σ_μ w_iμ and θ_μ = b_μ/2 + Σ_i w_iμ, the marginal is
 * H(σ) = −Σ η_i σ_i − Σ_μ ln cosh(θ_μ + Σ_i w_iμ σ_i) + const, and
 * <ul>
 * <li>H_i = η_i + ½ Σ_μ E_X[ln cosh(θ_μ + w_iμ + X) − ln cosh(θ_μ − w_iμ + X)], X ~ N(0, Σ_{k≠i} w_kμ²);</li>
 * <li>J_ij = ¼ Σ_μ E_X[ln cosh(θ+w_i+w_j+X) + ln cosh(θ−w_i−w_j+X) − ln cosh(θ+w_i−w_j+X)
 * − ln cosh(θ−w_i+w_j+X)], X ~ N(0, Σ_{k≠i,j} w_kμ²).</li>
 * </ul>
 * These are the σ_i and σ_iσ_j Walsh coefficients of −H with the sum over the other spins replaced
 * by a Gaussian. E_X is Gauss–Hermite quadrature ({@value #DEFAULT_NODES} nodes by default).
 *
 * <p>A hidden unit not connected to both i and j contributes exactly 0 to J_ij (the four terms
 * cancel pairwise), so only the units adjacent to both pixels are summed: exact, not an
 * approximation, and J_ij = 0.0 for pairs without a shared hidden unit. Fields likewise sum only
 * over the units adjacent to i.
 *
 * <p>Rows of J are distributed over threads; each J_ij is computed by one thread from read-only
 * inputs with a fixed summation order (ascending μ, ascending node), so the result does not depend
 * on the thread count.
 */
public final class IsingMapping {
    public static final int DEFAULT_NODES = 30;

    private IsingMapping() {
    }

    /** Fields H (nv) and the symmetric coupling matrix J (nv x nv row-major, zero diagonal). */
    public record Result(int nv, double[] fields, double[] couplings) {
        public Result {
            if (fields.length != nv || couplings.length != nv * nv) {
                throw new IllegalArgumentException("fields must have nv and couplings nv*nv entries");
            }
        }

        public double coupling(int i, int j) {
            return couplings[i * nv + j];
        }

        /**
         * Summary (protocol §7.6), over the nv(nv−1)/2 pairs i &lt; j unless noted: {@code gim.J.frobenius}
         * = ‖J‖_F of the full symmetric matrix (both triangles); {@code gim.J.above_threshold} =
         * count of |J_ij| &gt; threshold; mean, population std and max |J|; the fraction of non-zero
         * J_ij; mean and std of H.
         */
        public Map<String, Double> summary(double threshold) {
            double sum = 0, sumSq = 0, maxAbs = 0;
            long pairs = 0, nonzero = 0, above = 0;
            for (int i = 0; i < nv; i++) {
                for (int j = i + 1; j < nv; j++) {
                    double x = couplings[i * nv + j];
                    pairs++;
                    sum += x;
                    sumSq += x * x;
                    maxAbs = Math.max(maxAbs, Math.abs(x));
                    nonzero += x != 0.0 ? 1 : 0;
                    above += Math.abs(x) > threshold ? 1 : 0;
                }
            }
            double hSum = 0, hSq = 0;
            for (double h : fields) {
                hSum += h;
                hSq += h * h;
            }
            Map<String, Double> m = new LinkedHashMap<>();
            double jMean = pairs == 0 ? 0.0 : sum / pairs;
            double hMean = hSum / nv;
            m.put("gim.J.frobenius", Math.sqrt(2.0 * sumSq));
            m.put("gim.J.above_threshold", (double) above);
            m.put("gim.J.threshold", threshold);
            m.put("gim.J.mean", jMean);
            m.put("gim.J.std", pairs == 0 ? 0.0 : Math.sqrt(Math.max(0.0, sumSq / pairs - jMean * jMean)));
            m.put("gim.J.max_abs", maxAbs);
            m.put("gim.J.fraction_nonzero", pairs == 0 ? 0.0 : (double) nonzero / pairs);
            m.put("gim.H.mean", hMean);
            m.put("gim.H.std", Math.sqrt(Math.max(0.0, hSq / nv - hMean * hMean)));
            return m;
        }

        /**
         * Mean |J_ij| over pairs i &lt; j binned by the Euclidean distance of the two pixels on a
         * rows x cols grid, rounded to the nearest integer; index = distance.
         */
        public double[] meanAbsCouplingByDistance(int rows, int cols) {
            if (rows * cols != nv) {
                throw new IllegalArgumentException(rows + "x" + cols + " does not match nv=" + nv);
            }
            int maxD = (int) Math.round(Math.hypot(rows - 1, cols - 1));
            double[] s = new double[maxD + 1];
            long[] c = new long[maxD + 1];
            for (int i = 0; i < nv; i++) {
                for (int j = i + 1; j < nv; j++) {
                    int d = (int) Math.round(Math.hypot(i / cols - j / cols, i % cols - j % cols));
                    s[d] += Math.abs(couplings[i * nv + j]);
                    c[d]++;
                }
            }
            for (int d = 0; d <= maxD; d++) {
                s[d] = c[d] == 0 ? 0.0 : s[d] / c[d];
            }
            return s;
        }
    }

    /**
     * A rule E[f(τZ)] ≈ Σ_k weights[k]·f(τ·nodes[k]) for Z ~ N(0, 1).
     *
     * <p>Accuracy: the integrands have complex singularities at distance π/2 from the real X axis,
     * i.e. π/(2τ) in Z units, so any fixed rule degrades as τ = sd(X) grows. Measured on a coupling
     * term (IsingMappingTest): 30-node Gauss–Hermite has relative error 2e-13 at τ = 0.5, 4e-7 at
     * τ = 1, 4e-3 at τ = 2 and 6e-2 at τ = 4. For trained models with large Σ_k w_kμ², prefer
     * {@link #simpson} (the reference code's rule: step 0.1 on [−15, 15]).
     */
    public record Quadrature(double[] nodes, double[] weights) {
        public Quadrature {
            if (nodes.length != weights.length || nodes.length == 0) {
                throw new IllegalArgumentException("nodes and weights must be non-empty and of equal length");
            }
            nodes = nodes.clone();
            weights = weights.clone();
        }

        /** Gauss–Hermite with n nodes (protocol §7.6 default: 30). */
        public static Quadrature gaussHermite(int n) {
            GaussHermite gh = GaussHermite.of(n);
            return new Quadrature(gh.standardNormalNodes(), gh.standardNormalWeights());
        }

        /** Composite Simpson of φ(z) f(τz) on z ∈ [−halfWidth, halfWidth] with the given number of (even) intervals. */
        public static Quadrature simpson(double halfWidth, int intervals) {
            if (intervals < 2 || intervals % 2 != 0 || !(halfWidth > 0)) {
                throw new IllegalArgumentException("need an even number of intervals >= 2 and halfWidth > 0");
            }
            double h = 2 * halfWidth / intervals;
            double[] z = new double[intervals + 1], w = new double[intervals + 1];
            for (int q = 0; q <= intervals; q++) {
                z[q] = -halfWidth + q * h;
                double c = q == 0 || q == intervals ? 1 : (q % 2 == 1 ? 4 : 2);
                w[q] = c * h / 3 * Math.exp(-z[q] * z[q] / 2) / Math.sqrt(2 * Math.PI);
            }
            return new Quadrature(z, w);
        }
    }

    /** Default: 30-node Gauss–Hermite, one thread per available processor. */
    public static Result compute(Rbm rbm) {
        return compute(rbm, DEFAULT_NODES, Runtime.getRuntime().availableProcessors());
    }

    /** Gauss–Hermite with the given number of nodes. */
    public static Result compute(Rbm rbm, int nodes, int threads) {
        return compute(rbm, Quadrature.gaussHermite(nodes), threads);
    }

    public static Result compute(Rbm rbm, Quadrature quadrature, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        int nv = rbm.nv, nh = rbm.nh;
        double[] t = quadrature.nodes;
        double[] wq = quadrature.weights;
        double[] w = scaledWeights(rbm);
        double[] eta = eta(rbm, w);
        double[] theta = theta(rbm, w);
        double[] s2 = new double[nh]; // Σ_k w_kμ²
        for (int i = 0; i < nv; i++) {
            for (int mu = 0; mu < nh; mu++) {
                double x = w[i * nh + mu];
                s2[mu] += x * x;
            }
        }
        // Adjacency: the hidden units of pixel i, ascending (CSR).
        int[] ptr = new int[nv + 1];
        for (int i = 0; i < nv; i++) {
            int c = 0;
            for (int mu = 0; mu < nh; mu++) {
                c += rbm.mask[i * nh + mu];
            }
            ptr[i + 1] = ptr[i] + c;
        }
        int[] adj = new int[ptr[nv]];
        for (int i = 0, k = 0; i < nv; i++) {
            for (int mu = 0; mu < nh; mu++) {
                if (rbm.mask[i * nh + mu] != 0) {
                    adj[k++] = mu;
                }
            }
        }
        double[] fields = new double[nv];
        for (int i = 0; i < nv; i++) {
            double s = 0.0;
            for (int q = ptr[i]; q < ptr[i + 1]; q++) {
                int mu = adj[q];
                double wi = w[i * nh + mu];
                s += fieldTerm(theta[mu], wi, s2[mu] - wi * wi, t, wq);
            }
            fields[i] = eta[i] + 0.5 * s;
        }
        double[] j = new double[nv * nv];
        AtomicInteger nextRow = new AtomicInteger();
        Runnable worker = () -> {
            for (int i = nextRow.getAndIncrement(); i < nv; i = nextRow.getAndIncrement()) {
                for (int k = i + 1; k < nv; k++) {
                    // Merge the two ascending adjacency lists: units connected to both pixels.
                    double s = 0.0;
                    int p = ptr[i], pe = ptr[i + 1], q = ptr[k], qe = ptr[k + 1];
                    while (p < pe && q < qe) {
                        int a = adj[p], b = adj[q];
                        if (a < b) {
                            p++;
                        } else if (b < a) {
                            q++;
                        } else {
                            double wi = w[i * nh + a], wk = w[k * nh + a];
                            s += couplingTerm(theta[a], wi, wk, s2[a] - wi * wi - wk * wk, t, wq);
                            p++;
                            q++;
                        }
                    }
                    double v = 0.25 * s;
                    j[i * nv + k] = v;
                    j[k * nv + i] = v;
                }
            }
        };
        runOn(threads, worker);
        return new Result(nv, fields, j);
    }

    private static void runOn(int threads, Runnable worker) {
        if (threads == 1) {
            worker.run();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread th = new Thread(r, "ising-mapping");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int k = 0; k < threads; k++) {
                futures.add(pool.submit(worker));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while computing couplings", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("coupling computation failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** w_iμ = M_iμ W_iμ / 4 (pruned weights are exactly 0 by the Rbm invariant). */
    static double[] scaledWeights(Rbm rbm) {
        double[] w = new double[rbm.w.length];
        for (int k = 0; k < w.length; k++) {
            w[k] = rbm.mask[k] * rbm.w[k] / 4.0;
        }
        return w;
    }

    /** η_i = a_i/2 + Σ_μ w_iμ. */
    static double[] eta(Rbm rbm, double[] w) {
        double[] e = new double[rbm.nv];
        for (int i = 0; i < rbm.nv; i++) {
            double s = rbm.a[i] / 2.0;
            for (int mu = 0; mu < rbm.nh; mu++) {
                s += w[i * rbm.nh + mu];
            }
            e[i] = s;
        }
        return e;
    }

    /** θ_μ = b_μ/2 + Σ_i w_iμ. */
    static double[] theta(Rbm rbm, double[] w) {
        double[] th = new double[rbm.nh];
        for (int mu = 0; mu < rbm.nh; mu++) {
            double s = rbm.b[mu] / 2.0;
            for (int i = 0; i < rbm.nv; i++) {
                s += w[i * rbm.nh + mu];
            }
            th[mu] = s;
        }
        return th;
    }

    /** ln cosh x = |x| + log1p(e^{−2|x|}) − ln 2, without overflow. */
    public static double lnCosh(double x) {
        double ax = Math.abs(x);
        return ax + Math.log1p(Math.exp(-2.0 * ax)) - LN2;
    }

    private static final double LN2 = Math.log(2.0);

    /** ln cosh x + ln 2: the constant cancels in every difference below, so it is not subtracted. */
    private static double lnCoshShifted(double x) {
        double ax = Math.abs(x);
        return ax + Math.log1p(Math.exp(-2.0 * ax));
    }

    /** E[ln cosh(θ + w_i + X) − ln cosh(θ − w_i + X)], X ~ N(0, variance) by quadrature (t, wq). */
    static double fieldTerm(double theta, double wi, double variance, double[] t, double[] wq) {
        double tau = Math.sqrt(Math.max(variance, 0.0));
        double s = 0.0;
        for (int k = 0; k < t.length; k++) {
            double x = tau * t[k];
            s += wq[k] * (lnCoshShifted(theta + wi + x) - lnCoshShifted(theta - wi + x));
        }
        return s;
    }

    /**
     * E[(A − D) + (B − C)] with A = ln cosh(θ+w_i+w_j+X), B = ln cosh(θ−w_i−w_j+X),
     * C = ln cosh(θ+w_i−w_j+X), D = ln cosh(θ−w_i+w_j+X). Grouped so that w_i = 0 (A = D, B = C) or
     * w_j = 0 (A = C, B = D, and x − y = −(y − x)) gives exactly 0.0.
     */
    static double couplingTerm(double theta, double wi, double wj, double variance, double[] t, double[] wq) {
        double tau = Math.sqrt(Math.max(variance, 0.0));
        double s = 0.0;
        for (int k = 0; k < t.length; k++) {
            double x = tau * t[k];
            double a = lnCoshShifted(theta + wi + wj + x);
            double b = lnCoshShifted(theta - wi - wj + x);
            double c = lnCoshShifted(theta + wi - wj + x);
            double d = lnCoshShifted(theta - wi + wj + x);
            s += wq[k] * ((a - d) + (b - c));
        }
        return s;
    }

    /**
     * PNG of J, one pixel per entry scaled up by {@code scale}: a symmetric-log diverging map, red
     * for J &gt; 0, blue for J &lt; 0, white for 0, intensity log1p(|J|/ε)/log1p(max|J|/ε) with
     * ε = max|J|·1e-3 (so couplings down to a thousandth of the largest stay visible). Atomic write.
     */
    public static void writeCouplingPng(Result r, int scale, Path file) throws IOException {
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be >= 1");
        }
        int nv = r.nv();
        double max = 0.0;
        for (double x : r.couplings()) {
            max = Math.max(max, Math.abs(x));
        }
        double eps = max * 1e-3;
        double denom = max == 0.0 ? 1.0 : Math.log1p(max / eps);
        BufferedImage img = new BufferedImage(nv * scale, nv * scale, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < nv; i++) {
            for (int k = 0; k < nv; k++) {
                double x = r.couplings()[i * nv + k];
                double level = max == 0.0 ? 0.0 : Math.min(1.0, Math.log1p(Math.abs(x) / eps) / denom);
                int fade = (int) Math.round(255.0 * (1.0 - level));
                int rgb = x > 0 ? (255 << 16) | (fade << 8) | fade : (fade << 16) | (fade << 8) | 255;
                if (x == 0.0) {
                    rgb = 0xFFFFFF;
                }
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        img.setRGB(k * scale + dx, i * scale + dy, rgb);
                    }
                }
            }
        }
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }
}
