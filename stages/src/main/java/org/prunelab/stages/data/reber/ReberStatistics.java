package org.prunelab.stages.data.reber;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Length statistics of a Reber set, per label, so that a generated set can be compared with the
 * authors' (valid 11–53 symbols, mean 23.6; invalid 11–48, mean 18.7). Length alone separates the
 * classes in part, so a model's accuracy only means something next to these numbers.
 */
public record ReberStatistics(int count, int validCount, int validMin, int validMax, double validMean,
                              int invalidMin, int invalidMax, double invalidMean, int foreignLetterCount) {

    public static ReberStatistics of(ReberSet set) {
        int vMin = Integer.MAX_VALUE, vMax = 0, iMin = Integer.MAX_VALUE, iMax = 0, valid = 0, foreign = 0;
        long vSum = 0, iSum = 0;
        for (int i = 0; i < set.size(); i++) {
            int len = set.string(i).length();
            if (set.isValid(i)) {
                valid++;
                vSum += len;
                vMin = Math.min(vMin, len);
                vMax = Math.max(vMax, len);
            } else {
                iSum += len;
                iMin = Math.min(iMin, len);
                iMax = Math.max(iMax, len);
                if (InvalidReberStrings.isOfKind(set.string(i), InvalidReberStrings.Kind.FOREIGN_LETTERS)) {
                    foreign++;
                }
            }
        }
        int invalid = set.size() - valid;
        return new ReberStatistics(set.size(), valid, valid == 0 ? 0 : vMin, vMax,
                valid == 0 ? Double.NaN : (double) vSum / valid, invalid == 0 ? 0 : iMin, iMax,
                invalid == 0 ? Double.NaN : (double) iSum / invalid, foreign);
    }

    /** Share of invalid strings: the accuracy of always answering "invalid" (the chance floor). */
    public double invalidShare() {
        return (double) (count - validCount) / count;
    }

    /** Flat name → value map for metrics and reports. */
    public Map<String, Double> asMetrics(String prefix) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(prefix + "count", (double) count);
        m.put(prefix + "valid_count", (double) validCount);
        m.put(prefix + "valid_length_min", (double) validMin);
        m.put(prefix + "valid_length_max", (double) validMax);
        m.put(prefix + "valid_length_mean", validMean);
        m.put(prefix + "invalid_length_min", (double) invalidMin);
        m.put(prefix + "invalid_length_max", (double) invalidMax);
        m.put(prefix + "invalid_length_mean", invalidMean);
        m.put(prefix + "invalid_foreign_letters", (double) foreignLetterCount);
        m.put(prefix + "invalid_share", invalidShare());
        return m;
    }
}
