package org.prunelab.stages;

/** Progress reporting for long loops. */
public interface Progress {

    /** Starts a task of {@code total} units, of which {@code done} are already complete (resume). */
    Task start(String name, long total, long done);

    interface Task extends AutoCloseable {
        void step(long units);

        void message(String text);

        @Override
        void close();
    }

    Progress SILENT = (name, total, done) -> new Task() {
        @Override public void step(long units) { }
        @Override public void message(String text) { }
        @Override public void close() { }
    };
}
