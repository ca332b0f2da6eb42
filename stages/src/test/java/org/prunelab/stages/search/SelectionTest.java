package org.prunelab.stages.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SelectionTest {
    private static List<Selection.Scored<String>> scored(double... fitness) {
        List<Selection.Scored<String>> out = new ArrayList<>();
        for (int i = 0; i < fitness.length; i++) {
            out.add(new Selection.Scored<>("g" + i, fitness[i]));
        }
        return out;
    }

    @Test
    void aTournamentOfTheWholePopulationPicksTheBestAndTiesGoToTheEarlier() {
        var pop = scored(0.2, 0.9, 0.5, 0.9, Double.NaN);
        for (long seed = 0; seed < 20; seed++) {
            assertEquals(1, Selection.tournament(pop, 5, new SplittableRandom(seed)));
            assertEquals(1, Selection.tournament(pop, 99, new SplittableRandom(seed)));
        }
    }

    @Test
    void sizeOneIsUniformAndLargerTournamentsFavourFitness() {
        var pop = scored(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8);
        int[] one = new int[8], three = new int[8];
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < 8_000; i++) {
            one[Selection.tournament(pop, 1, rng)]++;
            three[Selection.tournament(pop, 3, rng)]++;
        }
        for (int c : one) {
            assertTrue(c > 850 && c < 1150, "size 1 is uniform: " + java.util.Arrays.toString(one));
        }
        // P(best of 3 distinct of 8 is the top one) = 3/8; the worst is never chosen.
        assertEquals(0, three[0]);
        assertTrue(Math.abs(three[7] / 8000.0 - 3.0 / 8) < 0.03, java.util.Arrays.toString(three));
        assertTrue(three[7] > three[6] && three[6] > three[5]);
    }

    @Test
    void elitesSurviveAndOffspringFillTheRest() {
        var current = scored(0.50, 0.80, 0.60, 0.70);
        var offspring = List.of(new Selection.Scored<>("o0", 0.55), new Selection.Scored<>("o1", 0.95),
                new Selection.Scored<>("o2", Double.NaN));
        var next = Selection.nextPopulation(current, offspring, 4, 2);
        assertEquals(List.of("g1", "g3", "o1", "o0"), next.stream().map(Selection.Scored::item).toList(),
                "the two best parents, then the offspring by fitness");
        var noElite = Selection.nextPopulation(current, offspring, 4, 0);
        assertEquals(List.of("o1", "o0", "o2", "g1"), noElite.stream().map(Selection.Scored::item).toList(),
                "without elitism the offspring take every place first, even a failed one, then the best parent");
        var fewOffspring = Selection.nextPopulation(current, offspring.subList(0, 1), 4, 1);
        assertEquals(List.of("g1", "o0", "g3", "g2"), fewOffspring.stream().map(Selection.Scored::item).toList(),
                "too few offspring: the next-best parents fill up");
    }

    @Test
    void eliteBestIsNeverLost() {
        SplittableRandom rng = new SplittableRandom(8);
        var pop = scored(0.3, 0.4, 0.35, 0.2);
        double best = 0.4;
        for (int gen = 0; gen < 30; gen++) {
            List<Selection.Scored<String>> off = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                off.add(new Selection.Scored<>("x" + gen + "_" + i, rng.nextDouble() * 0.5));
            }
            pop = Selection.nextPopulation(pop, off, 4, 1);
            double now = pop.stream().mapToDouble(Selection.Scored::fitness).max().orElseThrow();
            assertTrue(now >= best, "generation " + gen + ": best fell from " + best + " to " + now);
            best = now;
        }
    }
}
