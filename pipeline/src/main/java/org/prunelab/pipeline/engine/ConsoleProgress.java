package org.prunelab.pipeline.engine;

import java.io.PrintStream;
import java.util.Locale;
import org.prunelab.stages.Progress;

/**
 * Progress with rate and time left. On a terminal one line per task is redrawn in place (at most
 * every {@code intervalMillis}); when output goes to a file or a pipe (CI logs, `make` output
 * captured by a tool) it stays quiet and prints only each task's final line.
 */
public final class ConsoleProgress implements Progress {
    private final PrintStream out;
    private final long intervalMillis;
    private final boolean terminal;
    /** A line drawn in place (no newline yet) is on the screen; guarded by {@code out}. */
    private boolean lineOpen;

    public ConsoleProgress(PrintStream out, long intervalMillis) {
        this(out, intervalMillis, System.console() != null && out == System.out);
    }

    ConsoleProgress(PrintStream out, long intervalMillis, boolean terminal) {
        this.out = out;
        this.intervalMillis = intervalMillis;
        this.terminal = terminal;
    }

    @Override
    public void log(String line) {
        synchronized (out) {
            endOpenLine();
            out.println("    " + line);
            out.flush();
        }
    }

    @Override
    public void endLine() {
        synchronized (out) {
            endOpenLine();
            out.flush();
        }
    }

    private void endOpenLine() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }

    /** Three significant digits at most: a sweep doing one point a minute shows 0.0167/s, not 0.0/s. */
    static String rate(double perSecond) {
        if (perSecond >= 100) {
            return String.format(Locale.ROOT, "%.0f", perSecond);
        }
        return new java.math.BigDecimal(perSecond).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
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
                if (terminal && now - lastPrint >= intervalMillis) {
                    lastPrint = now;
                    print(false);
                }
            }

            @Override
            public synchronized void message(String text) {
                message = text;
            }

            private void print(boolean last) {
                double seconds = (System.nanoTime() - startNanos) / 1e9;
                double rate = (current - done) / Math.max(seconds, 1e-9);
                String eta = rate > 0 && total > current
                        ? String.format(Locale.ROOT, ", %.0f s left", (total - current) / rate) : "";
                String line = String.format(Locale.ROOT, "    %s %d/%d (%.0f%%, %s/s%s)%s", name, current, total,
                        100.0 * current / Math.max(total, 1), rate(rate), eta, message.isEmpty() ? "" : "  " + message);
                synchronized (out) {
                    if (terminal) {
                        out.print("\r\033[K" + line + (last ? System.lineSeparator() : ""));
                        lineOpen = !last;
                    } else {
                        out.println(line);
                    }
                    out.flush();
                }
            }

            @Override
            public synchronized void close() {
                if (current > done) {
                    print(true);
                }
            }
        };
    }
}
