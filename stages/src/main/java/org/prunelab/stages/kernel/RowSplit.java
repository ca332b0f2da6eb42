package org.prunelab.stages.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits {@code [0, count)} into {@code threads} fixed contiguous blocks and runs one block per
 * thread. The block of an index depends only on (count, threads), and each block is run by exactly
 * one thread in ascending order, so a body that writes only the outputs of its own indices gives
 * bit-identical results for the same thread count, whatever the scheduling.
 */
final class RowSplit {
    /** Below this many elementary operations per call, threads cost more than they save. */
    static final long MIN_WORK_PER_THREAD = 50_000;

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "prunelab-kernel");
        t.setDaemon(true);
        return t;
    });

    interface Block {
        void run(int from, int to);
    }

    private RowSplit() {
    }

    /**
     * Runs {@code body} over {@code [0, count)} in at most {@code threads} blocks; {@code work} is
     * the call's total cost estimate (decides whether splitting pays). The split is a pure function
     * of the arguments.
     */
    static void run(int count, int threads, long work, Block body) {
        int parts = parts(count, threads, work);
        if (parts <= 1) {
            body.run(0, count);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int from = start(count, parts, p), to = start(count, parts, p + 1);
            futures.add(POOL.submit(() -> body.run(from, to)));
        }
        body.run(0, start(count, parts, 1));
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a kernel thread", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) {
                    throw re;
                }
                if (c instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(c);
            }
        }
    }

    /** How many blocks {@link #run} uses for these arguments (1 = the calling thread alone). */
    static int parts(int count, int threads, long work) {
        return (int) Math.max(1, Math.min(Math.min(threads, count), work / MIN_WORK_PER_THREAD));
    }

    private static int start(int count, int parts, int p) {
        return (int) ((long) count * p / parts);
    }
}
