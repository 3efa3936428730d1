package io.wsgate.bench.orchestrator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JVM target's heap, through {@code jcmd}: a full GC, and the heap in use after it. */
final class Jcmd {

    private static final Logger LOG = LoggerFactory.getLogger(Jcmd.class);

    /**
     * The JVMs jcmd failed on: the attach mechanism can be unavailable (another user,
     * -XX:+DisableAttachMechanism), or the JVM out of memory; its heap is then not reported, and not asked again.
     */
    private static final Set<Long> FAILED = ConcurrentHashMap.newKeySet();

    private Jcmd() {
    }

    /** @param pid a JVM to run a full GC in ({@code GC.run}); nothing when jcmd does not work */
    static void gc(long pid) {
        jcmd(pid, "GC.run");
    }

    /**
     * @param pid a JVM
     * @return its heap in use, KiB ({@code GC.heap_info}); NaN when jcmd does not work
     */
    static double heapUsedKiB(long pid) {
        // One "used NK" per heap space: G1 prints one line for the whole heap, Serial and Parallel one per
        // generation (young, then old); the Metaspace lines are not heap.
        return jcmd(pid, "GC.heap_info").map(out -> {
            double used = 0;
            boolean found = false;
            Pattern p = Pattern.compile("used (\\d+)K");
            for (String line : out.split("\n")) {
                if (line.contains("Metaspace") || line.contains("class space")) {
                    continue;
                }
                Matcher m = p.matcher(line);
                if (m.find()) {
                    used += Double.parseDouble(m.group(1));
                    found = true;
                }
            }
            return found ? used : Double.NaN;
        }).orElse(Double.NaN);
    }

    private static Optional<String> jcmd(long pid, String command) {
        if (FAILED.contains(pid)) {
            return Optional.empty();
        }
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process p = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid), command)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor(15, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.contains("Exception")) {
                return Optional.of(out);
            }
            p.destroyForcibly();
            LOG.warn("jcmd {} {} failed; its heap will not be reported: {}", pid, command,
                    out.lines().filter(l -> l.contains("Exception")).findFirst().orElse(out.trim()));
        } catch (Exception e) {
            LOG.warn("jcmd {} {} failed; its heap will not be reported: {}", pid, command, e.toString());
        }
        FAILED.add(pid);
        return Optional.empty();
    }
}
