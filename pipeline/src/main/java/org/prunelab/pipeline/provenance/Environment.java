package org.prunelab.pipeline.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Where a step ran, recorded in its manifest (as Tribuo records provenance): JVM vendor and
 * version, OS name, version and architecture, CPU model and processor count, and the version of
 * every third-party library on the classpath. Not part of the step identity (a result should not
 * depend on these), but the first thing to compare when two machines disagree.
 */
public final class Environment {
    private static final Pattern POM_PROPERTIES = Pattern.compile("META-INF/maven/[^/]+/[^/]+/pom\\.properties");
    private static SortedMap<String, Object> current;

    private Environment() {
    }

    /** This process's environment (computed once: none of it changes while a JVM runs). */
    public static synchronized SortedMap<String, Object> current() {
        if (current == null) {
            current = Collections.unmodifiableSortedMap(capture(Environment.class.getClassLoader(), Path.of("/proc/cpuinfo")));
        }
        return current;
    }

    static SortedMap<String, Object> capture(ClassLoader loader, Path cpuinfo) {
        SortedMap<String, Object> env = new TreeMap<>();
        env.put("jvm.vendor", System.getProperty("java.vendor"));
        env.put("jvm.version", System.getProperty("java.runtime.version", System.getProperty("java.version")));
        env.put("jvm.name", System.getProperty("java.vm.name"));
        env.put("os.name", System.getProperty("os.name"));
        env.put("os.version", System.getProperty("os.version"));
        env.put("os.arch", System.getProperty("os.arch"));
        env.put("cpu.model", cpuModel(cpuinfo));
        env.put("cpu.processors", Runtime.getRuntime().availableProcessors());
        env.put("libraries", libraries(loader));
        return env;
    }

    /** The first "model name" of /proc/cpuinfo (Linux), or "unknown" where there is none. */
    static String cpuModel(Path cpuinfo) {
        try {
            if (Files.isReadable(cpuinfo)) {
                for (String line : Files.readAllLines(cpuinfo)) {
                    int colon = line.indexOf(':');
                    if (colon > 0 && line.substring(0, colon).trim().equals("model name")) {
                        return line.substring(colon + 1).trim();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // provenance is best effort: a machine that hides its CPU still runs the step
        }
        return "unknown";
    }

    /**
     * groupId:artifactId to version, from every {@code META-INF/maven/*}{@code /*}{@code /pom.properties} in
     * the jars on the classpath (one jar when run from the shaded jar, which keeps them all), plus
     * the numeric libraries, whose jars may lack Maven metadata ({@link NumericLibrary}).
     */
    static SortedMap<String, String> libraries(ClassLoader loader) {
        SortedMap<String, String> versions = new TreeMap<>();
        for (Path jar : jarsOnClasspath(loader)) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (ZipEntry e : Collections.list(zip.entries())) {
                    if (POM_PROPERTIES.matcher(e.getName()).matches()) {
                        try (InputStream in = zip.getInputStream(e)) {
                            Properties p = new Properties();
                            p.load(in);
                            if (p.getProperty("groupId") != null && p.getProperty("version") != null) {
                                versions.put(p.getProperty("groupId") + ":" + p.getProperty("artifactId"), p.getProperty("version"));
                            }
                        }
                    }
                }
            } catch (IOException e) {
                versions.put("unreadable jar " + jar.getFileName(), String.valueOf(e.getMessage()));
            }
        }
        for (NumericLibrary lib : NumericLibrary.ALL) {
            try {
                versions.put(lib.name(), lib.version(loader));
            } catch (IllegalStateException absent) {
                // not on this classpath: nothing computed with it here
            }
        }
        return versions;
    }

    /** Every jar the loader reads from: each has a manifest, so asking for all manifests finds them all. */
    private static Set<Path> jarsOnClasspath(ClassLoader loader) {
        Set<Path> jars = new LinkedHashSet<>();
        try {
            Enumeration<URL> manifests = loader.getResources("META-INF/MANIFEST.MF");
            while (manifests.hasMoreElements()) {
                URL url = manifests.nextElement();
                if ("jar".equals(url.getProtocol())) {
                    JarURLConnection c = (JarURLConnection) url.openConnection();
                    URL jar = c.getJarFileURL();
                    if ("file".equals(jar.getProtocol())) {
                        jars.add(Path.of(jar.toURI()));
                    }
                }
            }
        } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
            // best effort, as for the CPU: the jars found so far are recorded
        }
        return jars;
    }
}
