package org.prunelab.pipeline.engine;

import java.io.PrintStream;
import java.util.Locale;
import org.prunelab.stages.Progress;

/**
 * Progress as occasional plain lines (at most one every few seconds per task, plus the end) with
 * rate and time left. Plain lines work in a terminal, in `make` output and in CI logs alike.
 */
public final class ConsoleProgress implements Progress {
    private final PrintStream out;
    private final long intervalMillis;

    public ConsoleProgress(PrintStream out, long intervalMillis) {
        this.out = out;
        this.intervalMillis = intervalMillis;
    }

    @Override
    public Task start(String name, long total, long done) {
        long startNanos = System.nanoTime();
        return new Task() {
            private long current = done;
            private long lastPrint = System.currentTimeMillis();
            private String message = "";

            @Override
            public synchronized void step(long units) {
                current += units;
                long now = System.currentTimeMillis();
                if (now - lastPrint >= intervalMillis) {
                    lastPrint = now;
                    print();
                }
            }

            @Override
            public synchronized void message(String text) {
                message = text;
            }

            private void print() {
                double seconds = (System.nanoTime() - startNanos) / 1e9;
                double rate = (current - done) / Math.max(seconds, 1e-9);
                String eta = rate > 0 && total > current
                        ? String.format(Locale.ROOT, ", %.0f s left", (total - current) / rate) : "";
                out.printf(Locale.ROOT, "    %s %d/%d (%.0f%%, %.1f/s%s)%s%n", name, current, total,
                        100.0 * current / Math.max(total, 1), rate, eta, message.isEmpty() ? "" : "  " + message);
            }

            @Override
            public synchronized void close() {
                if (current > done) {
                    print();
                }
            }
        };
    }
}
