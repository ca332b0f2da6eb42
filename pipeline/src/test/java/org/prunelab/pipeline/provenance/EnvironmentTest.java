package org.prunelab.pipeline.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentTest {
    @TempDir
    Path tmp;

    @Test
    void recordsJvmOsAndProcessors() {
        SortedMap<String, Object> env = Environment.current();
        assertEquals(System.getProperty("java.vendor"), env.get("jvm.vendor"));
        assertEquals(System.getProperty("java.runtime.version"), env.get("jvm.version"));
        assertEquals(System.getProperty("os.name"), env.get("os.name"));
        assertEquals(System.getProperty("os.version"), env.get("os.version"));
        assertEquals(System.getProperty("os.arch"), env.get("os.arch"));
        assertEquals(Runtime.getRuntime().availableProcessors(), env.get("cpu.processors"));
        assertSame(env, Environment.current(), "computed once per process");
    }

    @Test
    void librariesComeFromTheJarsMavenMetadataAndNumericLibrariesFromTheirVersionClass() {
        @SuppressWarnings("unchecked")
        Map<String, String> libraries = (Map<String, String>) Environment.current().get("libraries");
        assertEquals(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString(),
                libraries.get("com.fasterxml.jackson.core:jackson-databind"), libraries.toString());
        assertEquals(org.apache.commons.csv.CSVFormat.class.getPackage().getImplementationVersion(),
                libraries.get("org.apache.commons:commons-csv"), libraries.toString());
        assertEquals(org.ejml.EjmlVersion.VERSION, libraries.get("org.ejml:ejml"), "EJML's jars have no pom.properties");
    }

    @Test
    void cpuModelIsTheFirstModelNameOfCpuinfo() throws Exception {
        Path cpuinfo = tmp.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n"
                + "\nprocessor\t: 1\nmodel name\t: Other\n");
        assertEquals("Intel(R) Xeon(R) CPU @ 2.20GHz", Environment.cpuModel(cpuinfo));
        Files.writeString(cpuinfo, "processor\t: 0\nCPU part\t: 0xd0c\n");
        assertEquals("unknown", Environment.cpuModel(cpuinfo), "no model name (e.g. some ARM kernels)");
        assertEquals("unknown", Environment.cpuModel(tmp.resolve("absent")));
    }
}
