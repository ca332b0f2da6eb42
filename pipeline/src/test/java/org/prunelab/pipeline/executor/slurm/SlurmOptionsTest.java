package org.prunelab.pipeline.executor.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.config.ConfigException;

class SlurmOptionsTest {
    @Test
    void configSectionBecomesSbatchArguments() {
        SlurmOptions o = SlurmOptions.fromConfig(Map.of("slurm.partition", "gpu", "slurm.time", "1:00:00",
                "slurm.cpus_per_task", 4, "slurm.mem", "8G", "slurm.sbatch_args", List.of("--account=abc", "--qos=low"),
                "seed", 1), "c.yaml");
        assertEquals(List.of("--partition=gpu", "--time=1:00:00", "--cpus-per-task=4", "--mem=8G", "--account=abc",
                "--qos=low"), o.resourceArgs());
        assertEquals(120, o.signalSeconds());
        assertEquals(Map.of("seed", 1), SlurmOptions.withoutSlurmKeys(Map.of("seed", 1, "slurm.time", "1:00")));
    }

    @Test
    void badValuesNameTheFileTheKeyAndTheValue() {
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> SlurmOptions.fromConfig(Map.of("slurm.partiton", "gpu"), "c.yaml"));
        assertTrue(unknown.getMessage().contains("c.yaml") && unknown.getMessage().contains("slurm.partiton"),
                unknown.getMessage());
        ConfigException zero = assertThrows(ConfigException.class,
                () -> SlurmOptions.fromConfig(Map.of("slurm.max_parallel", 0), "c.yaml"));
        assertTrue(zero.getMessage().contains("slurm.max_parallel") && zero.getMessage().contains("'0'"),
                zero.getMessage());
    }
}
