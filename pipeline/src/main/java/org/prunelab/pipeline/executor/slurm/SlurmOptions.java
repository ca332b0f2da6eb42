package org.prunelab.pipeline.executor.slurm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.prunelab.stages.config.ConfigException;

/**
 * How sweep jobs are submitted: the {@code slurm:} section of a config, overridden by command-line
 * options. These settings only say where and with what resources steps run, never what they compute,
 * so they are kept out of step identities and of the sweep id.
 *
 * @param signalSeconds seconds before the time limit at which Slurm sends USR1 to the job, which
 *                      then checkpoints and requeues itself
 * @param maxParallel   at most this many of the sweep's jobs run at once (0 = no limit)
 */
public record SlurmOptions(String partition, String time, int cpusPerTask, String mem, int maxParallel,
                           int signalSeconds, List<String> sbatchArgs) {
    public static final String PREFIX = "slurm.";
    static final Set<String> KEYS = Set.of("partition", "time", "cpus_per_task", "mem", "max_parallel",
            "signal_seconds", "sbatch_args");

    public static SlurmOptions defaults() {
        return new SlurmOptions(null, null, 1, null, 0, 120, List.of());
    }

    /** The {@code slurm.*} keys of a flattened config, checked; the rest is left to the planner. */
    public static SlurmOptions fromConfig(Map<String, Object> flat, String source) {
        SlurmOptions o = defaults();
        Map<String, Object> mine = new LinkedHashMap<>();
        flat.forEach((k, v) -> {
            if (k.startsWith(PREFIX)) {
                mine.put(k.substring(PREFIX.length()), v);
            }
        });
        for (Map.Entry<String, Object> e : mine.entrySet()) {
            String key = PREFIX + e.getKey();
            Object v = e.getValue();
            switch (e.getKey()) {
                case "partition" -> o = o.withPartition(text(source, key, v));
                case "time" -> o = o.withTime(text(source, key, v));
                case "cpus_per_task" -> o = o.withCpusPerTask(positive(source, key, v));
                case "mem" -> o = o.withMem(text(source, key, v));
                case "max_parallel" -> o = o.withMaxParallel(positive(source, key, v));
                case "signal_seconds" -> o = o.withSignalSeconds(positive(source, key, v));
                case "sbatch_args" -> {
                    List<String> args = new ArrayList<>();
                    if (v instanceof List<?> list) {
                        list.forEach(item -> args.add(text(source, key, item)));
                    } else {
                        args.add(text(source, key, v));
                    }
                    o = o.withSbatchArgs(args);
                }
                default -> throw new ConfigException(source + ": unknown key '" + key + "'; the slurm section takes "
                        + new java.util.TreeSet<>(KEYS));
            }
        }
        return o;
    }

    /** The config without its {@code slurm.*} keys. */
    public static Map<String, Object> withoutSlurmKeys(Map<String, Object> flat) {
        Map<String, Object> rest = new LinkedHashMap<>(flat);
        rest.keySet().removeIf(k -> k.startsWith(PREFIX));
        return rest;
    }

    private static String text(String source, String key, Object v) {
        if (v == null || v instanceof List || v instanceof Map || String.valueOf(v).isBlank()) {
            throw new ConfigException(source + ": key '" + key + "' must be a non-empty string, got " + v);
        }
        return String.valueOf(v);
    }

    static int positive(String source, String key, Object v) {
        try {
            int n = v instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue()) ? num.intValue()
                    : Integer.parseInt(String.valueOf(v).trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(source + ": key '" + key + "' must be a whole number >= 1, got '" + v + "'");
        }
    }

    public SlurmOptions withPartition(String v) {
        return new SlurmOptions(v, time, cpusPerTask, mem, maxParallel, signalSeconds, sbatchArgs);
    }

    public SlurmOptions withTime(String v) {
        return new SlurmOptions(partition, v, cpusPerTask, mem, maxParallel, signalSeconds, sbatchArgs);
    }

    public SlurmOptions withCpusPerTask(int v) {
        return new SlurmOptions(partition, time, v, mem, maxParallel, signalSeconds, sbatchArgs);
    }

    public SlurmOptions withMem(String v) {
        return new SlurmOptions(partition, time, cpusPerTask, v, maxParallel, signalSeconds, sbatchArgs);
    }

    public SlurmOptions withMaxParallel(int v) {
        return new SlurmOptions(partition, time, cpusPerTask, mem, v, signalSeconds, sbatchArgs);
    }

    public SlurmOptions withSignalSeconds(int v) {
        return new SlurmOptions(partition, time, cpusPerTask, mem, maxParallel, v, sbatchArgs);
    }

    public SlurmOptions withSbatchArgs(List<String> v) {
        return new SlurmOptions(partition, time, cpusPerTask, mem, maxParallel, signalSeconds, List.copyOf(v));
    }

    /** The resource arguments every step job gets. */
    List<String> resourceArgs() {
        List<String> args = new ArrayList<>();
        if (partition != null) {
            args.add("--partition=" + partition);
        }
        if (time != null) {
            args.add("--time=" + time);
        }
        args.add("--cpus-per-task=" + cpusPerTask);
        if (mem != null) {
            args.add("--mem=" + mem);
        }
        args.addAll(sbatchArgs);
        return args;
    }
}
