package org.prunelab.stages.data.reber;

import java.util.List;

/**
 * Labelled strings of the Reber task: {@code valid[i]} says whether {@code strings.get(i)} is a
 * Reber string. Immutable; the order is the file's order.
 */
public record ReberSet(List<String> strings, boolean[] valid) {
    public ReberSet {
        if (strings.size() != valid.length) {
            throw new IllegalArgumentException(strings.size() + " strings but " + valid.length + " labels");
        }
        strings = List.copyOf(strings);
        valid = valid.clone();
    }

    public int size() {
        return strings.size();
    }

    public String string(int i) {
        return strings.get(i);
    }

    public boolean isValid(int i) {
        return valid[i];
    }

    @Override
    public boolean[] valid() {
        return valid.clone();
    }

    /** Number of valid strings. */
    public int validCount() {
        int n = 0;
        for (boolean v : valid) {
            n += v ? 1 : 0;
        }
        return n;
    }

    /** Longest string, in symbols (the padded length of a batch holding it). */
    public int maxLength() {
        int m = 0;
        for (String s : strings) {
            m = Math.max(m, s.length());
        }
        return m;
    }
}
