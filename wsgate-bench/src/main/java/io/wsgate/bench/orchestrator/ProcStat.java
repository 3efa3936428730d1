package io.wsgate.bench.orchestrator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads CPU time and resident memory of processes from {@code /proc} (Linux). */
public final class ProcStat {

    /** Clock ticks per second of {@code /proc/PID/stat}'s utime and stime. */
    public static final long CLK_TCK = clockTicks();

    private ProcStat() {
    }

    /**
     * @param pid a process id
     * @return user + system CPU time of all its threads (live and exited) in milliseconds; -1 when it is gone
     */
    public static double cpuMillis(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        if (stat == null) {
            return -1;
        }
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after the command: state(3) ppid(4) ... utime(14) stime(15)
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks * 1000.0 / CLK_TCK;
    }

    /**
     * @param pid        a JVM's process id
     * @return user + system CPU time of its JIT compiler threads ("C1 CompilerThre...", "C2 CompilerThre...")
     *         in milliseconds; 0 when there are none or the process is gone
     */
    public static double jitMillis(long pid) {
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat = read(task.resolve("stat"));
                if (stat == null) {
                    continue;
                }
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return ticks * 1000.0 / CLK_TCK;
    }

    /**
     * @param pids process ids
     * @return the sum of their CPU time in milliseconds (gone processes count 0)
     */
    public static double cpuMillis(List<Long> pids) {
        double sum = 0;
        for (long pid : pids) {
            sum += Math.max(0, cpuMillis(pid));
        }
        return sum;
    }

    /** @return the resident set size of a process in KiB; -1 when it is gone */
    public static long rssKiB(long pid) {
        String status = read(Path.of("/proc", Long.toString(pid), "status"));
        if (status == null) {
            return -1;
        }
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** @return the number of live threads of a process ({@code Threads:} in {@code /proc/PID/status}); -1 when it is gone */
    public static long threads(long pid) {
        String status = read(Path.of("/proc", Long.toString(pid), "status"));
        if (status == null) {
            return -1;
        }
        for (String line : status.split("\n")) {
            if (line.startsWith("Threads:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** @return the sum of the live threads of the processes (gone processes count 0) */
    public static long threads(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            sum += Math.max(0, threads(pid));
        }
        return sum;
    }

    /** @return the sum of the resident set sizes, KiB */
    public static long rssKiB(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            sum += Math.max(0, rssKiB(pid));
        }
        return sum;
    }

    /**
     * @return the kernel's count of connections refused because a listen queue was full ({@code ListenOverflows}
     *         in {@code /proc/net/netstat}, this network namespace, every socket); -1 when unknown
     */
    public static long listenOverflows() {
        String netstat = read(Path.of("/proc/net/netstat"));
        if (netstat == null) {
            return -1;
        }
        String[] lines = netstat.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith("TcpExt:") && lines[i + 1].startsWith("TcpExt:")) {
                String[] names = lines[i].trim().split("\\s+");
                String[] values = lines[i + 1].trim().split("\\s+");
                for (int k = 1; k < names.length && k < values.length; k++) {
                    if (names[k].equals("ListenOverflows")) {
                        return Long.parseLong(values[k]);
                    }
                }
            }
        }
        return -1;
    }

    /** @return the process and its direct children (e.g. nginx's master and workers) */
    public static List<Long> withChildren(long pid) {
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                String stat = read(p.resolve("stat"));
                if (stat != null) {
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(f[1]) == pid) {
                        pids.add(Long.parseLong(p.getFileName().toString()));
                    }
                }
            });
        } catch (IOException e) {
            // /proc unreadable: the process alone
        }
        return pids;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (Exception e) {
            return 100;
        }
    }
}
