package org.prunelab.pipeline.executor.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.prunelab.pipeline.executor.local.WorkerMessages.ChainReply;

/**
 * One worker JVM of the local pool, seen from the sweep process: requests go to its stdin; a reader
 * thread copies its console lines (stdout and stderr, merged) to the sweep's output with a
 * {@code [wN]} prefix and turns its reply lines and its exit into {@link Event}s.
 */
final class WorkerProcess {
    /** What the pool waits for: a reply, or a worker gone (with the exit code). */
    sealed interface Event permits Replied, Exited { }

    record Replied(WorkerProcess worker, ChainReply reply) implements Event { }

    record Exited(WorkerProcess worker, int exitCode) implements Event { }

    private final int number;
    private final Process process;
    private final Writer requests;
    private volatile boolean repliedOnce;

    private WorkerProcess(int number, Process process) {
        this.number = number;
        this.process = process;
        this.requests = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    static WorkerProcess start(int number, List<String> command, java.util.Map<String, String> environment,
                               PrintStream out, BlockingQueue<Event> events) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        WorkerProcess worker = new WorkerProcess(number, process);
        Thread reader = new Thread(() -> worker.copyOutput(out, events), "prunelab-worker-" + number + "-output");
        reader.setDaemon(true);
        reader.start();
        return worker;
    }

    int number() {
        return number;
    }

    /** Whether it has answered a request: a worker that dies before its first answer did not start. */
    boolean repliedOnce() {
        return repliedOnce;
    }

    void send(WorkerMessages.ChainRequest request) throws IOException {
        requests.write(WorkerMessages.line(request));
        requests.write('\n');
        requests.flush();
    }

    /** Closes its stdin: it finishes what it runs, delivers its tracking and exits. */
    void finish() {
        try {
            requests.close();
        } catch (IOException ignored) {
            // already gone: its exit event says so
        }
    }

    /** Waits for it to exit; after {@code seconds}, stops it (SIGTERM: its steps checkpoint on the way out). */
    void awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** SIGTERM now (the sweep process is stopping); its running step saves a checkpoint first. */
    void stop() {
        process.destroy();
    }

    boolean alive() {
        return process.isAlive();
    }

    private void copyOutput(PrintStream out, BlockingQueue<Event> events) {
        String prefix = "  [w" + number + "] ";
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith(WorkerMessages.REPLY_PREFIX)) {
                    ChainReply reply = WorkerMessages.parse(line.substring(WorkerMessages.REPLY_PREFIX.length()),
                            ChainReply.class);
                    repliedOnce = true;
                    events.put(new Replied(this, reply));
                } else {
                    synchronized (out) {
                        out.println(prefix + line);
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            synchronized (out) {
                out.println(prefix + "output unreadable: " + e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            events.put(new Exited(this, process.waitFor()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
