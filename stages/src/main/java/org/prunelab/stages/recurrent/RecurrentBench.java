package org.prunelab.stages.recurrent;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.prunelab.stages.data.reber.ReberCsv;
import org.prunelab.stages.data.reber.ReberSet;
import org.prunelab.stages.data.reber.ReberSetGenerator;

/**
 * {@code make bench}: training throughput (forward + backward, samples/s) of the Reber classifier,
 * 3 recurrent layers of 50, batch 32, on generated Reber strings, per cell, dense and with 90 % of
 * the recurrent weights pruned. Prints figures; never passes or fails on them.
 *
 * <p>Two modes. Without options it prints a table over every cell (what {@code make bench} shows).
 * With {@code --bench-lines} it prints one machine-readable {@code BENCH ...} line per figure (the
 * format of {@code scripts/bench/benchlib.py}) and, with {@code --strings FILE}, first writes the
 * exact strings it trains on as a Reber CSV, so a peer implementation ({@code scripts/bench/
 * peer_gru_jax.py}) measures the same batches, padded the same way.
 *
 * <p>Usage: {@code RecurrentBench [batches] [--cells gru,lstm] [--bench-lines] [--strings FILE]}.
 */
public final class RecurrentBench {
    static final int BATCH = 32;
    static final int HIDDEN = 50;
    private static final int WARM_UP_BATCHES = 5;

    private RecurrentBench() {
    }

    public static void main(String[] args) throws IOException {
        Options options = Options.parse(args);
        ReberSet data = ReberSetGenerator.generate(new ReberSetGenerator.Settings(2_000, 1_120, 880, 3_000, 10, 0.15), 1)
                .train();
        if (options.stringsFile != null) {
            writeStrings(data, options.stringsFile);
        }
        if (!options.benchLines) {
            System.out.printf("%-9s %-8s %12s%n", "cell", "pruned", "samples/s");
        }
        for (CellType cell : options.cells) {
            for (double pruned : new double[] {0.0, 0.9}) {
                double samplesPerSecond = measure(cell, pruned, data, options.batches);
                if (options.benchLines) {
                    System.out.printf("BENCH name=rnn-train impl=prunelab backend=java precision=fp64 threads=1 "
                            + "cell=%s pruned=%.2f value=%.2f unit=samples/s%n", cell.configName(), pruned, samplesPerSecond);
                } else {
                    System.out.printf("%-9s %-8.2f %12.0f%n", cell.configName(), pruned, samplesPerSecond);
                }
            }
        }
    }

    private static double measure(CellType cell, double pruned, ReberSet data, int batches) {
        RecurrentClassifier m = new RecurrentClassifier(cell, HIDDEN, new int[] {HIDDEN, HIDDEN, HIDDEN}, 2, Readout.LAST_STEP);
        SplittableRandom rng = new SplittableRandom(7);
        m.initialise(rng);
        if (pruned > 0) {
            pruneAtRandom(m, pruned, rng);
        }
        run(m, data, WARM_UP_BATCHES);
        long t0 = System.nanoTime();
        run(m, data, batches);
        double secs = (System.nanoTime() - t0) / 1e9;
        return batches * BATCH / secs;
    }

    private static void pruneAtRandom(RecurrentClassifier m, double pruned, SplittableRandom rng) {
        for (RecurrentLayer l : m.layers()) {
            for (Parameter p : new Parameter[] {l.inputWeights(), l.recurrentWeights()}) {
                byte[] mask = new byte[p.size()];
                for (int i = 0; i < mask.length; i++) {
                    mask[i] = (byte) (rng.nextDouble() < pruned ? 0 : 1);
                }
                p.setMask(mask);
            }
        }
    }

    /** Batch b holds strings (b·32 + i) mod n, i = 0..31: the peer script rebuilds the same batches. */
    private static void run(RecurrentClassifier m, ReberSet data, int batches) {
        String[] xs = new String[BATCH];
        int[] ys = new int[BATCH];
        for (int b = 0; b < batches; b++) {
            for (int i = 0; i < BATCH; i++) {
                int idx = (b * BATCH + i) % data.size();
                xs[i] = data.string(idx);
                ys[i] = data.isValid(idx) ? 1 : 0;
            }
            m.zeroGradients();
            m.lossAndGradients(xs, ys);
        }
    }

    private static void writeStrings(ReberSet data, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            ReberCsv.write(data, out);
        }
    }

    private record Options(int batches, List<CellType> cells, boolean benchLines, Path stringsFile) {
        static Options parse(String[] args) {
            int batches = 40;
            List<CellType> cells = List.of(CellType.values());
            boolean benchLines = false;
            Path strings = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--bench-lines" -> benchLines = true;
                    case "--cells" -> cells = cells(value(args, ++i, "--cells"));
                    case "--strings" -> strings = Path.of(value(args, ++i, "--strings"));
                    default -> batches = positive(args[i]);
                }
            }
            return new Options(batches, cells, benchLines, strings);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static List<CellType> cells(String list) {
            List<CellType> cells = new ArrayList<>();
            for (String name : list.split(",")) {
                cells.add(CellType.parse(name.trim()));
            }
            return cells;
        }

        private static int positive(String text) {
            try {
                int n = Integer.parseInt(text);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
            throw new IllegalArgumentException("batch count must be a positive integer, got '" + text + "'");
        }
    }
}
