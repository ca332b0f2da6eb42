package org.prunelab.pipeline.executor;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The command line that starts prunelab's {@code Main} again: this JVM, this classpath, as absolute paths. */
public final class ThisJvm {
    private ThisJvm() {
    }

    /**
     * @param jvmOptions options for the new JVM (heap, modules), placed before the classpath
     */
    public static List<String> command(List<String> jvmOptions) {
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(p -> Path.of(p).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djava.awt.headless=true");
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, "org.prunelab.pipeline.cli.Main"));
        return command;
    }

    /**
     * This JVM's own options (heap size, {@code --add-modules jdk.incubator.vector}, system
     * properties), for a child on the same machine that should compute like this process does;
     * without a debugger or flight recorder, which would clash over their port or file.
     */
    public static List<String> inheritedOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(o -> !o.startsWith("-agentlib:jdwp") && !o.startsWith("-Xrunjdwp")
                        && !o.startsWith("-XX:StartFlightRecording") && !o.startsWith("-XX:FlightRecorderOptions"))
                .toList();
    }
}
