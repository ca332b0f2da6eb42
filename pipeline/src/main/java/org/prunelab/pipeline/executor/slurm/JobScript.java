package org.prunelab.pipeline.executor.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.prunelab.io.AtomicFiles;

/**
 * The batch script every step job runs, {@code runs/slurm/job.sh}: it starts the prunelab command
 * given as its arguments and stands between it and Slurm's signals.
 *
 * <ul>
 *   <li>USR1 (sent {@code signal_seconds} before the time limit, {@code --signal=B:USR1@N}): the
 *       command gets SIGTERM (it checkpoints, flushes tracking and exits), then the script requeues
 *       its own job, which later resumes from the checkpoint.</li>
 *   <li>SIGTERM (pre-emption, {@code scancel}): passed on; Slurm itself requeues a pre-empted
 *       {@code --requeue} job, and a cancelled one stays cancelled.</li>
 * </ul>
 * Bash runs traps only between commands, so the command runs in the background and the script waits.
 */
public final class JobScript {
    /** Exit code of a job that asked Slurm to requeue it (EX_TEMPFAIL). */
    public static final int REQUEUED = 75;

    private JobScript() {
    }

    static final String TEXT = """
            #!/usr/bin/env bash
            # prunelab step job (written by 'prunelab sweep --executor slurm'; see JobScript.java).
            # Arguments: the command to run. Exit: the command's status, or 75 after requeueing itself.
            echo "prunelab job ${SLURM_JOB_ID:-?} (restart ${SLURM_RESTART_COUNT:-0}) on $(hostname) at $(date -u +%FT%TZ)"
            requeue=0
            forward() { [ -n "${child:-}" ] && kill -TERM "$child" 2>/dev/null; }
            trap 'requeue=1; echo "prunelab job: time limit near (USR1): checkpointing, then requeue"; forward' USR1
            trap 'echo "prunelab job: SIGTERM: checkpointing"; forward' TERM
            "$@" &
            child=$!
            status=0
            while :; do
                wait "$child"; status=$?
                kill -0 "$child" 2>/dev/null || break   # wait returned because of a trapped signal
            done
            if [ "$requeue" = 1 ]; then
                scontrol requeue "$SLURM_JOB_ID" && exit 75
                echo "prunelab job: scontrol requeue failed; re-run the sweep command to resubmit" >&2
            fi
            exit "$status"
            """;

    /** Writes the script (when missing or different) and returns its path. */
    public static Path write(Path runsRoot) throws IOException {
        Path file = runsRoot.resolve("slurm").resolve("job.sh");
        if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(TEXT)) {
            AtomicFiles.writeBytes(file, TEXT.getBytes(StandardCharsets.UTF_8));
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
