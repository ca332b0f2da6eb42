package org.prunelab.stages.data.reber;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.prunelab.stages.Seeds;

/**
 * Builds the Reber classification task: {@code validCount} distinct valid strings and
 * {@code foreignCount + brokenCount} distinct invalid ones (no string appears twice), shuffled and
 * split at a fixed seeded position into train and test.
 *
 * <p>The defaults follow the authors' set: 12,500 valid, 7,000 invalid with foreign letters and 5,500
 * with broken transitions, minimum length 10 (shortest string 11 symbols), 18,750 train / 6,250 test.
 */
public final class ReberSetGenerator {
    /** What to generate; {@link #authors()} gives the authors' proportions. */
    public record Settings(int validCount, int foreignCount, int brokenCount, int trainSize, int minLength,
                           double corruption) {
        public Settings {
            if (validCount < 1 || foreignCount < 0 || brokenCount < 0 || foreignCount + brokenCount < 1) {
                throw new IllegalArgumentException("need at least one valid and one invalid string, got valid="
                        + validCount + " foreign=" + foreignCount + " broken=" + brokenCount);
            }
            int total = validCount + foreignCount + brokenCount;
            if (trainSize < 1 || trainSize >= total) {
                throw new IllegalArgumentException("train size must be in [1, " + (total - 1) + "], got " + trainSize);
            }
            if (minLength < 1) {
                throw new IllegalArgumentException("minimum length must be >= 1, got " + minLength);
            }
        }

        public static Settings authors() {
            return new Settings(12_500, 7_000, 5_500, 18_750, 10, 0.15);
        }

        public int total() {
            return validCount + foreignCount + brokenCount;
        }
    }

    /** The train and test halves of one generated task. */
    public record Split(ReberSet train, ReberSet test) {
    }

    private ReberSetGenerator() {
    }

    public static Split generate(Settings settings, long seed) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> strings = new ArrayList<>(settings.total());
        List<Boolean> labels = new ArrayList<>(settings.total());
        SplittableRandom validRng = Seeds.stream(seed, 1);
        add(strings, labels, seen, settings.validCount(), true,
                () -> ReberGrammar.generate(validRng, settings.minLength()));
        SplittableRandom foreignRng = Seeds.stream(seed, 2);
        add(strings, labels, seen, settings.foreignCount(), false, () -> InvalidReberStrings.generate(
                InvalidReberStrings.Kind.FOREIGN_LETTERS, foreignRng, settings.minLength(), settings.corruption()));
        SplittableRandom brokenRng = Seeds.stream(seed, 3);
        add(strings, labels, seen, settings.brokenCount(), false, () -> InvalidReberStrings.generate(
                InvalidReberStrings.Kind.BROKEN_TRANSITIONS, brokenRng, settings.minLength(), settings.corruption()));

        int[] order = Seeds.permutation(strings.size(), Seeds.stream(seed, 4));
        return new Split(subset(strings, labels, order, 0, settings.trainSize()),
                subset(strings, labels, order, settings.trainSize(), order.length));
    }

    /** Draws until {@code count} new distinct strings were added; gives up on an exhausted source. */
    private static void add(List<String> strings, List<Boolean> labels, Set<String> seen, int count, boolean valid,
                            Supplier<String> source) {
        int added = 0;
        int misses = 0;
        while (added < count) {
            String s = source.get();
            if (seen.add(s)) {
                strings.add(s);
                labels.add(valid);
                added++;
                misses = 0;
            } else if (++misses > 100_000) {
                throw new IllegalStateException("only " + added + " distinct " + (valid ? "valid" : "invalid")
                        + " strings could be drawn, " + count + " were asked for");
            }
        }
    }

    private static ReberSet subset(List<String> strings, List<Boolean> labels, int[] order, int from, int to) {
        List<String> s = new ArrayList<>(to - from);
        boolean[] v = new boolean[to - from];
        for (int i = from; i < to; i++) {
            s.add(strings.get(order[i]));
            v[i - from] = labels.get(order[i]);
        }
        return new ReberSet(s, v);
    }
}
