package org.prunelab.tracking.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Metric values on the wire. Checked against MLflow 3.17.2 with a SQL store: "NaN" (a JSON string)
 * is stored and read back as NaN; "Infinity"/"-Infinity" are accepted but stored as +/-Double.MAX_VALUE;
 * a bare NaN/Infinity token is mis-parsed into a bogus point (value 0, timestamp 0, step 0), so it
 * must never be sent.
 */
final class MetricJson {
    private MetricJson() { }

    static void putValue(ObjectNode node, String field, double v) {
        if (Double.isNaN(v)) {
            node.put(field, "NaN");
        } else if (v == Double.POSITIVE_INFINITY) {
            node.put(field, "Infinity");
        } else if (v == Double.NEGATIVE_INFINITY) {
            node.put(field, "-Infinity");
        } else {
            node.put(field, v);
        }
    }

    static double readValue(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return Double.NaN;
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        switch (n.asText()) {
            case "NaN": return Double.NaN;
            case "Infinity": return Double.POSITIVE_INFINITY;
            case "-Infinity": return Double.NEGATIVE_INFINITY;
            default: return Double.parseDouble(n.asText());
        }
    }

    /** int64 may come as a JSON string. */
    static long readLong(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return 0L;
        }
        return n.isNumber() ? n.longValue() : Long.parseLong(n.asText());
    }
}
