package org.prunelab.pipeline.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.prunelab.pipeline.store.StepManifest;
import org.prunelab.pipeline.store.StepStore;
import org.prunelab.stages.io.Npy;

/**
 * The Ising lens against sparsity (rbm-dilution protocol §7.6): how far the couplings J of a diluted
 * RBM's generalised Ising model are from those of the dense model of the same group and seed (same
 * W₀, same data order). Two columns per row:
 * <ul>
 *   <li>{@code gim.r_dense}: Pearson correlation of the J_ij (i &lt; j) with the dense model's;</li>
 *   <li>{@code gim.delta_dense}: Δ_J = ‖J − J_dense‖_F / ‖J_dense‖_F over the same pairs.</li>
 * </ul>
 * The dense model is the point of the group and seed at the smallest x (0 in the studies); a group
 * or seed without one gets no columns.
 */
public final class CouplingAgreement {
    private CouplingAgreement() {
    }

    /** Copies of the rows with the two columns added where the couplings file exists. */
    public static List<Map<String, Object>> add(StudySettings s, List<Map<String, Object>> rows,
                                                List<FinishedPoint> points, StepStore store) throws IOException {
        String spec = s.couplings();
        int slash = spec.indexOf('/');
        if (slash <= 0 || spec.contains("..")) {
            throw new IllegalArgumentException("report.couplings must be STEP/FILE.npy, got " + spec);
        }
        String step = spec.substring(0, slash);
        String file = spec.substring(slash + 1);
        Map<Integer, Path> files = new LinkedHashMap<>();
        for (FinishedPoint p : points) {
            StepManifest m = p.manifests().get(step);
            if (m != null) {
                Path f = store.committedDir(m.kind(), m.identity().substring(0, 16)).resolve(file);
                if (java.nio.file.Files.exists(f)) {
                    files.put(p.index(), f);
                }
            }
        }
        // (group, seed) -> the row at the smallest x that has couplings.
        Map<String, Map<String, Object>> reference = new TreeMap<>();
        for (Map<String, Object> row : rows) {
            int point = (int) PointTable.number(row.get("point"));
            if (!files.containsKey(point)) {
                continue;
            }
            String key = key(s, row);
            Map<String, Object> best = reference.get(key);
            if (best == null || PointTable.number(row.get(s.x())) < PointTable.number(best.get(s.x()))) {
                reference.put(key, row);
            }
        }
        Map<String, double[]> dense = new TreeMap<>();
        for (var e : reference.entrySet()) {
            dense.put(e.getKey(), Npy.readDoubles(files.get((int) PointTable.number(e.getValue().get("point")))));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> copy = new LinkedHashMap<>(row);
            Path f = files.get((int) PointTable.number(row.get("point")));
            double[] ref = dense.get(key(s, row));
            if (f != null && ref != null) {
                double[] j = Npy.readDoubles(f);
                double[] agreement = agreement(j, ref);
                copy.put("gim.r_dense", agreement[0]);
                copy.put("gim.delta_dense", agreement[1]);
            }
            out.add(copy);
        }
        return out;
    }

    private static String key(StudySettings s, Map<String, Object> row) {
        return row.getOrDefault(s.group(), "all") + "|" + row.getOrDefault("seed", "1");
    }

    /**
     * {Pearson r, relative Frobenius distance} over the strict upper triangle of two square
     * row-major matrices (J is symmetric with a zero diagonal, so this counts every pair once).
     */
    static double[] agreement(double[] j, double[] dense) {
        if (j.length != dense.length) {
            throw new IllegalArgumentException("couplings of " + j.length + " and " + dense.length + " values differ in size");
        }
        int n = (int) Math.round(Math.sqrt(j.length));
        if (n * n != j.length) {
            throw new IllegalArgumentException("couplings of " + j.length + " values are not a square matrix");
        }
        double sa = 0, sb = 0;
        long count = 0;
        for (int r = 0; r < n; r++) {
            for (int c = r + 1; c < n; c++) {
                sa += j[r * n + c];
                sb += dense[r * n + c];
                count++;
            }
        }
        double ma = sa / count, mb = sb / count;
        double sab = 0, saa = 0, sbb = 0, diff = 0, norm = 0;
        for (int r = 0; r < n; r++) {
            for (int c = r + 1; c < n; c++) {
                double a = j[r * n + c] - ma, b = dense[r * n + c] - mb;
                sab += a * b;
                saa += a * a;
                sbb += b * b;
                double d = j[r * n + c] - dense[r * n + c];
                diff += d * d;
                norm += dense[r * n + c] * dense[r * n + c];
            }
        }
        double pearson = saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
        return new double[] {pearson, norm == 0 ? Double.NaN : Math.sqrt(diff / norm)};
    }
}
