package org.prunelab.pipeline.executor.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Slurm's own commands ({@code sbatch}, {@code squeue}, {@code scancel}), run as processes: the
 * stable, documented interface of every Slurm version, which needs no REST daemon or library.
 * The cluster is found the way Slurm's tools find it ({@code SLURM_CONF} or /etc/slurm).
 */
public final class SlurmClient {
    private static final long TIMEOUT_SECONDS = 60;

    /** A job as squeue shows it: state (PENDING, RUNNING, REQUEUED, FAILED, ...) and reason. */
    public record JobState(String jobId, String state, String reason, int restarts) {
        /** Still queued or running: Slurm will (or may, after a requeue) run it. */
        public boolean active() {
            return switch (state) {
                case "PENDING", "RUNNING", "REQUEUED", "REQUEUE_FED", "REQUEUE_HOLD", "CONFIGURING", "COMPLETING",
                     "SUSPENDED", "RESIZING", "SIGNALING", "STAGE_OUT", "STOPPED", "RESV_DEL_HOLD" -> true;
                default -> false;
            };
        }

        /** Pending on a dependency that failed or was cancelled: it will never start. */
        public boolean neverStarts() {
            return state.equals("PENDING") && reason.contains("DependencyNeverSatisfied");
        }
    }

    /** Submits a batch job and returns its id. */
    public String sbatch(List<String> arguments) throws IOException {
        return sbatch(arguments, Map.of());
    }

    /**
     * Submits a batch job with these variables added to sbatch's own environment, and returns its id.
     * With {@code --export=ALL} the job inherits them, so a value that may carry a secret (a tracking
     * URI with credentials) never appears on a command line, where {@code ps} shows it to every user.
     */
    public String sbatch(List<String> arguments, Map<String, String> environment) throws IOException {
        List<String> command = new ArrayList<>(List.of("sbatch", "--parsable"));
        command.addAll(arguments);
        String out = run(command, environment).trim();
        // --parsable prints "jobid" or "jobid;cluster"
        String id = out.contains(";") ? out.substring(0, out.indexOf(';')) : out;
        if (!id.matches("[0-9]+")) {
            throw new IOException("sbatch printed '" + out + "' instead of a job id");
        }
        return id;
    }

    /**
     * States of the given jobs. Jobs Slurm has forgotten (finished longer ago than its MinJobAge) are
     * absent from the result.
     */
    public Map<String, JobState> states(Collection<String> jobIds) throws IOException {
        Map<String, JobState> states = new HashMap<>();
        if (jobIds.isEmpty()) {
            return states;
        }
        // All of this user's jobs in one call: asking for ids Slurm no longer knows is an error in squeue.
        String out = run(List.of("squeue", "--noheader", "--states=all", "--user=" + System.getProperty("user.name"),
                "--Format=JobID:|,State:|,Reason:|,RestartCnt:"));
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\|", 4);
            if (f.length == 4 && jobIds.contains(f[0].trim())) {
                String restarts = f[3].trim();
                states.put(f[0].trim(), new JobState(f[0].trim(), f[1].trim(), f[2].trim(),
                        restarts.matches("[0-9]+") ? Integer.parseInt(restarts) : 0));
            }
        }
        return states;
    }

    public void cancel(Collection<String> jobIds) throws IOException {
        if (!jobIds.isEmpty()) {
            List<String> command = new ArrayList<>(List.of("scancel"));
            command.addAll(jobIds);
            run(command);
        }
    }

    private static String run(List<String> command) throws IOException {
        return run(command, Map.of());
    }

    private static String run(List<String> command, Map<String, String> environment) throws IOException {
        // stderr goes to a file: reading two pipes one after the other could block on a full one.
        java.nio.file.Path errors = java.nio.file.Files.createTempFile("prunelab-slurm-", ".err");
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            java.nio.file.Files.deleteIfExists(errors);
            throw new IOException("cannot run '" + command.get(0) + "' (is Slurm installed and on the PATH? 'make"
                    + " slurm-up' starts a local test cluster): " + e.getMessage(), e);
        }
        process.getOutputStream().close();
        try {
            byte[] stdout = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("'" + String.join(" ", command) + "' did not answer within " + TIMEOUT_SECONDS
                        + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("'" + abbreviate(command) + "' failed (exit " + process.exitValue() + "): "
                        + java.nio.file.Files.readString(errors, StandardCharsets.UTF_8).trim());
            }
            return new String(stdout, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while running " + command.get(0), e);
        } finally {
            java.nio.file.Files.deleteIfExists(errors);
        }
    }

    private static String abbreviate(List<String> command) {
        String text = String.join(" ", command);
        return text.length() <= 300 ? text : text.substring(0, 300) + " ...";
    }
}
