package org.prunelab.pipeline.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.predict.BayesianRidge;
import org.prunelab.stages.predict.MinMaxScaler;
import org.prunelab.stages.predict.PredictionEvaluation;
import org.prunelab.stages.predict.RandomForest;
import org.prunelab.stages.predict.Regressor;
import org.prunelab.stages.search.Genome;
import org.prunelab.stages.search.Selection;

/**
 * One genetic search (one arm, one search seed), generation by generation:
 * <ol>
 *   <li>generation 0 trains {@code population} distinct sampled genomes;</li>
 *   <li>every later generation proposes {@code offspring} distinct new genomes (tournament parents,
 *       crossover with probability {@code crossover_rate}, else a copy, then one mutation);</li>
 *   <li>predictor arm: a regressor fitted on every candidate trained so far (graph features →
 *       validation accuracy) scores the offspring; the {@code train_top} best predicted are trained,
 *       and {@code holdout} more drawn at random from the rest are trained anyway, so the predictor's
 *       R² is measured on offspring it did not choose. Random arm (the ablation): the same number of
 *       offspring drawn at random are trained — equal full trainings per generation;</li>
 *   <li>the next population keeps the {@code elite} fittest and fills up with the fittest trained
 *       offspring ({@link Selection#nextPopulation}).</li>
 * </ol>
 * Every random draw comes from streams of (search seed, generation), and every training from the
 * evaluator, whose steps are content-addressed: re-running a search replays the same decisions and
 * finds each finished candidate committed, so an interrupted search resumes where it stopped.
 */
public final class GeneticSearch {
    /** What one generation left behind: the population after it and the candidates trained in it. */
    public record Generation(int index, List<Selection.Scored<Candidate>> population, List<Candidate> trained,
                             int trainingsSoFar, Candidate bestSoFar, double r2Holdout, double r2Trained,
                             double r2HoldoutCumulative, double maeHoldoutCumulative) {
        Map<String, Double> metrics() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("trainings", (double) trainingsSoFar);
            m.put("best_val_accuracy", bestSoFar.valAccuracy());
            m.put("best_test_accuracy", bestSoFar.testAccuracy());
            double[] vals = population.stream().mapToDouble(s -> s.item().valAccuracy()).filter(v -> !Double.isNaN(v))
                    .toArray();
            m.put("population_val_mean", mean(vals));
            m.put("population_val_sd", sd(vals));
            m.put("population_val_min", vals.length == 0 ? Double.NaN : java.util.Arrays.stream(vals).min().orElseThrow());
            double[] off = trained.stream().mapToDouble(Candidate::valAccuracy).filter(v -> !Double.isNaN(v)).toArray();
            m.put("trained_val_mean", mean(off));
            m.put("trained_val_max", off.length == 0 ? Double.NaN : java.util.Arrays.stream(off).max().orElseThrow());
            if (!Double.isNaN(r2Holdout)) {
                m.put("predictor_r2_holdout", r2Holdout);
            }
            if (!Double.isNaN(r2Trained)) {
                m.put("predictor_r2_trained", r2Trained);
            }
            if (!Double.isNaN(r2HoldoutCumulative)) {
                m.put("predictor_r2_holdout_cumulative", r2HoldoutCumulative);
            }
            if (!Double.isNaN(maeHoldoutCumulative)) {
                m.put("predictor_mae_holdout_cumulative", maeHoldoutCumulative);
            }
            return m;
        }
    }

    /** Called after each generation (tracking, progress); may throw to stop the search. */
    public interface Listener {
        void generationDone(Generation g) throws Exception;
    }

    private final SearchSettings settings;
    private final CandidateEvaluator evaluator;
    private final String arm;
    private final long searchSeed;

    public GeneticSearch(SearchSettings settings, CandidateEvaluator evaluator, String arm, long searchSeed) {
        this.settings = settings;
        this.evaluator = evaluator;
        this.arm = arm;
        this.searchSeed = searchSeed;
    }

    public List<Generation> run(Listener listener) throws Exception {
        List<Generation> history = new ArrayList<>();
        Map<Map<String, Object>, Candidate> trained = new HashMap<>();
        List<Candidate> order = new ArrayList<>();
        List<double[]> holdoutPairs = new ArrayList<>();   // {measured, predicted}
        // Generation 0 depends only on the search seed, not on the arm: both arms share it.
        SplittableRandom init = Seeds.stream(Seeds.derive(searchSeed, "search/initial-population"));
        List<Genome> first = new ArrayList<>();
        for (int tries = 0; first.size() < settings.population() && tries < 1000 * settings.population(); tries++) {
            Genome g = settings.space().sample(init);
            if (first.stream().noneMatch(g::sameCandidate)) {
                first.add(g);
            }
        }
        List<Selection.Scored<Candidate>> population = new ArrayList<>();
        List<Candidate> gen0 = new ArrayList<>();
        for (Genome g : first) {
            Candidate c = train(g, 0, Candidate.INIT, Double.NaN);
            trained.put(g.configValues(), c);
            order.add(c);
            gen0.add(c);
            population.add(new Selection.Scored<>(c, c.valAccuracy()));
        }
        if (gen0.stream().allMatch(c -> Double.isNaN(c.valAccuracy()))) {
            // Nothing to select from, and most likely a failure every candidate shares (data, config).
            throw new IllegalStateException("every candidate of generation 0 failed (" + gen0.size()
                    + " of them; the FAILED lines above say why); the search stops");
        }
        Generation g0 = new Generation(0, List.copyOf(population), gen0, order.size(), best(order), Double.NaN, Double.NaN,
                Double.NaN, Double.NaN);
        history.add(g0);
        listener.generationDone(g0);

        for (int gen = 1; gen <= settings.generations(); gen++) {
            SplittableRandom rng = Seeds.stream(Seeds.derive(searchSeed, "search/" + arm), gen);
            List<Genome> pool = propose(population, trained, rng);
            List<Candidate> offspring = new ArrayList<>();
            double r2Holdout = Double.NaN, r2Trained = Double.NaN;
            if (arm.equals(SearchSettings.ARM_PREDICTOR)) {
                double[] predicted = predict(order, pool, gen);
                List<Integer> ranked = rankDescending(predicted);
                List<Integer> chosen = new ArrayList<>(ranked.subList(0, Math.min(settings.trainTop(), ranked.size())));
                List<Integer> rest = new ArrayList<>(ranked.subList(chosen.size(), ranked.size()));
                List<Integer> holdout = new ArrayList<>();
                for (int h = 0; h < settings.holdout() && !rest.isEmpty(); h++) {
                    holdout.add(rest.remove(rng.nextInt(rest.size())));
                }
                for (int i : chosen) {
                    offspring.add(train(pool.get(i), gen, Candidate.TOP, predicted[i]));
                }
                List<double[]> pairs = new ArrayList<>();
                for (int i : holdout) {
                    Candidate c = train(pool.get(i), gen, Candidate.HOLDOUT, predicted[i]);
                    offspring.add(c);
                    if (!Double.isNaN(c.valAccuracy())) {
                        pairs.add(new double[] {c.valAccuracy(), c.predicted()});
                    }
                }
                holdoutPairs.addAll(pairs);
                r2Holdout = r2(pairs);
                List<double[]> all = new ArrayList<>();
                offspring.stream().filter(c -> !Double.isNaN(c.valAccuracy()))
                        .forEach(c -> all.add(new double[] {c.valAccuracy(), c.predicted()}));
                r2Trained = r2(all);
            } else {
                List<Integer> indices = new ArrayList<>();
                for (int i = 0; i < pool.size(); i++) {
                    indices.add(i);
                }
                for (int k = 0; k < settings.trainingsPerGeneration() && !indices.isEmpty(); k++) {
                    offspring.add(train(pool.get(indices.remove(rng.nextInt(indices.size()))), gen, Candidate.RANDOM,
                            Double.NaN));
                }
            }
            List<Selection.Scored<Candidate>> scoredOffspring = new ArrayList<>();
            for (Candidate c : offspring) {
                trained.put(c.genome().configValues(), c);
                order.add(c);
                scoredOffspring.add(new Selection.Scored<>(c, c.valAccuracy()));
            }
            population = Selection.nextPopulation(population, scoredOffspring, settings.population(), settings.elite());
            Generation g = new Generation(gen, List.copyOf(population), offspring, order.size(), best(order), r2Holdout,
                    r2Trained, r2(holdoutPairs), mae(holdoutPairs));
            history.add(g);
            listener.generationDone(g);
        }
        return history;
    }

    private Candidate train(Genome g, int gen, String role, double predicted) throws Exception {
        CandidateEvaluator.Evaluation e = evaluator.evaluate(g, gen, role);
        return new Candidate(g, gen, role, predicted, e.valAccuracy(), e.testAccuracy(), e.computedNow(),
                evaluator.features(g));
    }

    /** {@code offspring} genomes not trained before and distinct from each other. */
    private List<Genome> propose(List<Selection.Scored<Candidate>> population, Map<Map<String, Object>, Candidate> trained,
                                 SplittableRandom rng) {
        List<Genome> pool = new ArrayList<>();
        int tries = 0;
        while (pool.size() < settings.offspring() && tries++ < 200 * settings.offspring()) {
            Genome a = population.get(Selection.tournament(population, settings.tournament(), rng)).item().genome();
            Genome child = a;
            if (rng.nextDouble() < settings.crossoverRate()) {
                Genome b = population.get(Selection.tournament(population, settings.tournament(), rng)).item().genome();
                child = settings.operators().crossover(a, b, rng);
            }
            child = settings.operators().mutate(child, rng);
            Genome c = child;
            if (!trained.containsKey(c.configValues()) && pool.stream().noneMatch(c::sameCandidate)) {
                pool.add(c);
            }
        }
        return pool;
    }

    private double[] predict(List<Candidate> history, List<Genome> pool, int gen) {
        List<Candidate> usable = history.stream().filter(c -> !Double.isNaN(c.valAccuracy())).toList();
        if (usable.size() < 2) {
            return new double[pool.size()]; // nothing to learn from: every offspring ties, the first ones win
        }
        List<String> names = new ArrayList<>(usable.get(0).features().keySet());
        double[][] x = new double[usable.size()][];
        double[] y = new double[usable.size()];
        for (int i = 0; i < usable.size(); i++) {
            x[i] = row(usable.get(i).features(), names);
            y[i] = usable.get(i).valAccuracy();
        }
        double[][] q = new double[pool.size()][];
        for (int i = 0; i < pool.size(); i++) {
            q[i] = row(evaluator.features(pool.get(i)), names);
        }
        MinMaxScaler scaler = MinMaxScaler.fit(x);
        Regressor model = settings.predictor().equals("random-forest")
                ? new RandomForest(100, Seeds.derive(searchSeed, "search/forest/" + gen))
                : new BayesianRidge();
        model.fit(scaler.transform(x), y);
        return model.predict(scaler.transform(q));
    }

    private static double[] row(Map<String, Double> features, List<String> names) {
        double[] r = new double[names.size()];
        for (int j = 0; j < r.length; j++) {
            r[j] = features.getOrDefault(names.get(j), 0.0);
        }
        return r;
    }

    private static List<Integer> rankDescending(double[] v) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            idx.add(i);
        }
        idx.sort((a, b) -> v[a] != v[b] ? Double.compare(v[b], v[a]) : Integer.compare(a, b));
        return idx;
    }

    /** R² of predictions against measurements; NaN below two pairs. */
    static double r2(List<double[]> pairs) {
        if (pairs.size() < 2) {
            return Double.NaN;
        }
        double[] t = new double[pairs.size()], p = new double[pairs.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = pairs.get(i)[0];
            p[i] = pairs.get(i)[1];
        }
        return PredictionEvaluation.r2(t, p);
    }

    /** Mean absolute error of predictions against measurements; NaN without pairs. */
    static double mae(List<double[]> pairs) {
        if (pairs.isEmpty()) {
            return Double.NaN;
        }
        double s = 0;
        for (double[] p : pairs) {
            s += Math.abs(p[0] - p[1]);
        }
        return s / pairs.size();
    }

    private static Candidate best(List<Candidate> all) {
        Candidate best = all.get(0);
        for (Candidate c : all) {
            if (!Double.isNaN(c.valAccuracy()) && (Double.isNaN(best.valAccuracy()) || c.valAccuracy() > best.valAccuracy())) {
                best = c;
            }
        }
        return best;
    }

    static double mean(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    static double sd(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v), ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return Math.sqrt(ss / (v.length - 1));
    }
}
