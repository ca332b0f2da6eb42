package org.prunelab.stages.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Tournament selection of parents and elitist choice of the next population. Fitness is "higher is
 * better"; NaN (a candidate that could not be trained) ranks below everything. Ties go to the
 * earlier individual, so selection is a pure function of the list order and the random stream.
 */
public final class Selection {
    private Selection() {
    }

    /** An individual and its fitness. */
    public record Scored<T>(T item, double fitness) {
        double rank() {
            return Double.isNaN(fitness) ? Double.NEGATIVE_INFINITY : fitness;
        }
    }

    /** The index of the fittest of {@code size} distinct individuals drawn uniformly (all when size >= n). */
    public static <T> int tournament(List<Scored<T>> population, int size, SplittableRandom rng) {
        int n = population.size();
        if (n == 0 || size < 1) {
            throw new IllegalArgumentException("a tournament needs a non-empty population and size >= 1, got " + n
                    + " and " + size);
        }
        List<Integer> pool = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pool.add(i);
        }
        int best = -1;
        for (int drawn = 0; drawn < Math.min(size, n); drawn++) {
            int i = pool.remove(rng.nextInt(pool.size()));
            if (best < 0 || beats(population.get(i), i, population.get(best), best)) {
                best = i;
            }
        }
        return best;
    }

    private static <T> boolean beats(Scored<T> a, int ia, Scored<T> b, int ib) {
        return a.rank() > b.rank() || (a.rank() == b.rank() && ia < ib);
    }

    /** Indices ordered from fittest to least fit, ties by position. */
    public static <T> List<Integer> ranking(List<Scored<T>> population) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < population.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingDouble(i -> -population.get(i).rank()).thenComparing(i -> i));
        return order;
    }

    /**
     * The next population of {@code size}: the {@code elite} fittest of the current population survive
     * unchanged; the other places go to the fittest offspring, and when there are too few offspring,
     * to the next-fittest of the current population.
     */
    public static <T> List<Scored<T>> nextPopulation(List<Scored<T>> current, List<Scored<T>> offspring, int size,
                                                     int elite) {
        if (elite < 0 || elite > size) {
            throw new IllegalArgumentException("elite must be in 0.." + size + ", got " + elite);
        }
        List<Scored<T>> next = new ArrayList<>();
        List<Integer> currentOrder = ranking(current);
        int keep = Math.min(elite, current.size());
        for (int r = 0; r < keep; r++) {
            next.add(current.get(currentOrder.get(r)));
        }
        for (int i : ranking(offspring)) {
            if (next.size() == size) {
                break;
            }
            next.add(offspring.get(i));
        }
        for (int r = keep; r < currentOrder.size() && next.size() < size; r++) {
            next.add(current.get(currentOrder.get(r)));
        }
        return next;
    }
}
