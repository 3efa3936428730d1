package io.wsgate.bench.orchestrator;

import io.wsgate.bench.driver.RunResult;
import org.HdrHistogram.Histogram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static io.wsgate.bench.orchestrator.Orchestrator.p;
import static io.wsgate.bench.orchestrator.Orchestrator.perThousand;
import static io.wsgate.bench.orchestrator.Table.num;
import static io.wsgate.bench.orchestrator.Table.ratio;

/** The tables: one per mode, per target, then ratios to direct and to each peer. */
final class Report {

    private Report() {
    }

    /** Aggregated figures of one mode on one target. */
    private record Agg(double rate, double spreadPct, Histogram latency, Histogram cycle, double proxyCpuPer1k,
                       double jitPct, double backendCpuPer1k, double driverCpuPct, long errors, double offeredRate) {
    }

    static String render(Settings s, List<Target> targets,
                         Map<Mode, Map<String, List<Rounds.Measured>>> results,
                         Map<String, Held> held, Map<String, String> notStarted,
                         Map<String, Map<Mode, Duration>> primedFor, List<String> notes, Optional<Path> nginx,
                         long elapsedNanos) {
        StringBuilder out = new StringBuilder();
        out.append("\n## wsgate-bench ").append(s.full() ? "full" : "quick").append(" run\n\n");
        out.append(String.format(Locale.ROOT, "%s; %d round(s), warm-up %d ms, window %d ms per run; %s messages; "
                        + "driver on core %s, backend and proxy on core %s; took %.0f s.%n",
                machine(nginx), s.rounds(), s.warmup().toMillis(), s.measure().toMillis(), s.text() ? "text" : "binary",
                s.pin() ? s.driverCore() : "any", s.pin() ? s.serverCore() : "any", elapsedNanos / 1e9));
        out.append("Rates are the median over rounds (spread = (max - min) / median); percentiles are over all rounds; "
                + "CPU is the proxy process's user + system time (/proc/PID/stat, all threads) per 1,000 echoed messages "
                + "(each crosses the proxy twice) or handshakes; \"of it JIT\" is the share of that CPU the JVM's JIT compiler "
                + "threads used in the window (before round 1, every JVM target ran each mode for the prime time, and again "
                + "while its JIT compilers used more than 5% of its CPU, up to " + s.primeMax().toSeconds() + " s; a large "
                + "share means the window still measured compilation).\n");
        if (!primedFor.isEmpty()) {
            out.append("Primed before round 1:");
            String sep = " ";
            for (Map.Entry<String, Map<Mode, Duration>> t : primedFor.entrySet()) {
                out.append(sep).append(t.getKey());
                String modeSep = " ";
                for (Map.Entry<Mode, Duration> m : t.getValue().entrySet()) {
                    out.append(String.format(Locale.ROOT, "%s%s %.1f s", modeSep, m.getKey().id, m.getValue().toMillis() / 1000.0));
                    modeSep = ", ";
                }
                sep = "; ";
            }
            out.append(".\n");
        }
        for (String note : notes) {
            out.append("Note: ").append(note).append('\n');
        }
        notStarted.forEach((name, why) -> out.append("Note: ").append(name).append(" did not start: ").append(why).append('\n'));
        for (Map.Entry<Mode, Map<String, List<Rounds.Measured>>> e : results.entrySet()) {
            Mode mode = e.getKey();
            Map<String, Agg> aggs = new java.util.LinkedHashMap<>();
            for (Target t : targets) {
                List<Rounds.Measured> runs = e.getValue().get(t.name());
                if (runs != null) {
                    aggs.put(t.name(), aggregate(runs));
                }
            }
            out.append("\n### ").append(mode.id).append(": ").append(mode.title).append("\n\n");
            Table table;
            switch (mode) {
                case TP64, TP16K -> {
                    table = new Table("target", "msg/s", "spread", "p50 µs", "p90 µs", "p99 µs", "p99.9 µs",
                            "proxy CPU ms/1k", "of it JIT", "backend CPU ms/1k", "driver CPU", "errors");
                    aggs.forEach((name, a) -> table.row(name, num(a.rate, 0), pct(a.spreadPct), num(p(a.latency, 50), 0),
                            num(p(a.latency, 90), 0), num(p(a.latency, 99), 0), num(p(a.latency, 99.9), 0),
                            num(a.proxyCpuPer1k, 1), pct(a.jitPct), num(a.backendCpuPer1k, 1), pct(a.driverCpuPct), a.errors));
                }
                case LATENCY -> {
                    table = new Table("target", "offered/s", "p50 µs", "p90 µs", "p99 µs", "p99.9 µs", "max µs",
                            "proxy CPU ms/1k", "of it JIT", "driver CPU", "late or lost");
                    aggs.forEach((name, a) -> table.row(name, num(a.offeredRate, 0), num(p(a.latency, 50), 0),
                            num(p(a.latency, 90), 0), num(p(a.latency, 99), 0), num(p(a.latency, 99.9), 0),
                            num(a.latency.getTotalCount() == 0 ? Double.NaN : a.latency.getMaxValue() / 1000.0, 0),
                            num(a.proxyCpuPer1k, 1), pct(a.jitPct), pct(a.driverCpuPct), a.errors));
                }
                default -> {
                    table = new Table("target", "handshakes/s", "spread", "101 p50 ms", "101 p99 ms", "cycle p99 ms",
                            "proxy CPU ms/1k", "of it JIT", "backend CPU ms/1k", "driver CPU", "errors");
                    aggs.forEach((name, a) -> table.row(name, num(a.rate, 0), pct(a.spreadPct),
                            num(p(a.latency, 50) / 1000, 2), num(p(a.latency, 99) / 1000, 2), num(p(a.cycle, 99) / 1000, 2),
                            num(a.proxyCpuPer1k, 1), pct(a.jitPct), num(a.backendCpuPer1k, 1), pct(a.driverCpuPct), a.errors));
                }
            }
            out.append(table.render());
            ratios(out, targets, aggs, mode);
        }
        if (!held.isEmpty() || !notStarted.isEmpty() && s.modes().contains(Mode.CONCURRENCY)) {
            concurrency(out, targets, held, notStarted, s.pairs(), !results.isEmpty());
        }
        return out.toString();
    }

    private static void ratios(StringBuilder out, List<Target> targets, Map<String, Agg> aggs, Mode mode) {
        out.append('\n');
        boolean open = mode == Mode.LATENCY;
        for (Target ref : targets) {
            Agg r = aggs.get(ref.name());
            if (r == null) {
                continue;
            }
            for (Target t : targets) {
                Agg a = aggs.get(t.name());
                if (a == null || !compared(t, ref)) {
                    continue;
                }
                out.append(String.format(Locale.ROOT, "- %s ÷ %s: %s%s p50 %s, p99 %s, CPU/1k %s (without JIT threads %s)%n",
                        t.name(), ref.name(),
                        open ? "" : (mode.id.startsWith("handshake") ? "handshakes/s " : "msg/s ") + ratio(a.rate, r.rate) + ",",
                        open ? "" : "", ratio(p(a.latency, 50), p(r.latency, 50)), ratio(p(a.latency, 99), p(r.latency, 99)),
                        ratio(a.proxyCpuPer1k, r.proxyCpuPer1k), ratio(withoutJit(a), withoutJit(r))));
            }
        }
    }

    /**
     * @return whether a ratio line compares {@code t} to {@code ref}: every target but direct to direct and to
     *         each peer (nginx included), and each gateway variant to {@code wsgate}
     */
    static boolean compared(Target t, Target ref) {
        if (t == ref || t.kind() == Target.Kind.DIRECT) {
            return false;
        }
        if (ref.isReference()) {
            return true;
        }
        return ref.name().equals(Gateways.DEFAULT_NAME) && t.kind() == Target.Kind.WSGATE;
    }

    /** The concurrency table: per target, what it held, whether it failed, and its memory. */
    static void concurrency(StringBuilder out, List<Target> targets, Map<String, Held> held, Map<String, String> notStarted,
                            int pairs, boolean afterOtherModes) {
        Map<String, Held> rows = new java.util.LinkedHashMap<>(held);
        notStarted.forEach((name, why) -> rows.putIfAbsent(name, Held.notStarted(pairs, "did not start")));
        out.append("\n### concurrency: ").append(Mode.CONCURRENCY.title).append("\n\n");
        Table table = new Table("target", "pairs asked", "opened", "echoed", "alive at end", "status", "open s",
                "RSS MiB", "RSS KiB/pair", "heap MiB", "heap KiB/pair", "direct MiB", "direct KiB/pair", "threads",
                "threads added", "memory KiB/pair", "backend RSS KiB/conn");
        rows.forEach((name, h) -> table.row(name, h.result().requested(), h.result().opened(), h.result().verified(),
                h.result().aliveAtEnd(), h.status(), num(h.result().openNanos() / 1e9, 1),
                num(h.held().rssKiB() / 1024, 1), num(h.rssPerPair(), 1), num(h.held().heapKiB() / 1024, 1),
                num(h.heapPerPair(), 1), num(h.held().directKiB() / 1024, 1), num(h.directPerPair(), 1),
                h.held().threads() < 0 ? "-" : Long.toString(h.held().threads()), num(h.threadGrowth(), 0),
                num(h.memoryPerPair(), 1), num(h.backendRssKiB(), 1)));
        out.append(table.render());
        out.append("\nHeld, while all the pairs were open: RSS (whole process; nginx: master + worker), heap in use after "
                + "a full GC (jcmd GC.run, GC.heap_info), direct buffers in use (the JDK's BufferPool \"direct\", over JMX), "
                + "live threads (/proc/PID/status). Per pair: the growth of each from before the pairs were opened, over "
                + "the pairs echoed. A gateway's heap is fixed and resident from the start (-Xms = -Xmx, "
                + "-XX:+AlwaysPreTouch), so its RSS growth is the memory outside the heap (direct buffers and thread stacks "
                + "included); its memory per pair is that plus the heap per pair. For other processes it is the RSS growth. "
                + "Status: ok when every pair asked for was opened, echoed and still open at the end; otherwise what "
                + "failed (exited, OOM, refused, stopped, not echoed, closed). A target that failed does not stop the run.\n");
        held.forEach((name, h) -> {
            if (h.heapPerPair() < 0.5 && afterOtherModes) {
                out.append("Note: ").append(name).append("'s heap (after a full GC) did not grow with its pairs: "
                        + "memory the modes before left behind (probably pooled buffers) was freed meanwhile, so this "
                        + "run cannot measure it; run --modes concurrency alone for its memory per pair.\n");
            }
        });
        out.append('\n');
        for (Target ref : targets) {
            Held r = held.get(ref.name());
            if (r == null || ref.kind() == Target.Kind.DIRECT) {
                continue;
            }
            for (Target t : targets) {
                Held h = held.get(t.name());
                if (h == null || !compared(t, ref)) {
                    continue;
                }
                out.append(String.format(Locale.ROOT, "- %s ÷ %s: memory/pair %s, pairs echoed %s%s%n", t.name(), ref.name(),
                        ratio(h.memoryPerPair(), r.memoryPerPair()), ratio(h.result().verified(), r.result().verified()),
                        h.ok() ? "" : " (" + t.name() + ": " + h.status() + ")"));
            }
        }
    }

    /** The proxy's CPU per 1,000 without its JIT compiler threads (all of it for a process without a JIT). */
    private static double withoutJit(Agg a) {
        return Double.isNaN(a.jitPct) ? a.proxyCpuPer1k : a.proxyCpuPer1k * (1 - a.jitPct / 100);
    }

    private static Agg aggregate(List<Rounds.Measured> runs) {
        List<Double> rates = new ArrayList<>();
        Histogram latency = new Histogram(3);
        Histogram cycle = new Histogram(3);
        double proxyMs = 0;
        double jitMs = 0;
        double backendMs = 0;
        double driverMs = 0;
        long count = 0;
        long offered = 0;
        long errors = 0;
        long window = 0;
        boolean proxyKnown = true;
        for (Rounds.Measured m : runs) {
            RunResult r = m.result();
            rates.add(r.perSecond());
            latency.add(r.latency());
            cycle.add(r.cycle());
            if (Double.isNaN(m.proxyCpuMs())) {
                proxyKnown = false;
            } else {
                proxyMs += m.proxyCpuMs();
            }
            jitMs += m.jitCpuMs();
            backendMs += m.backendCpuMs();
            driverMs += m.driverCpuMs();
            count += r.count();
            offered += r.offered();
            errors += r.errors();
            window += r.windowNanos();
        }
        rates.sort(Double::compare);
        double median = rates.size() % 2 == 1 ? rates.get(rates.size() / 2)
                : (rates.get(rates.size() / 2 - 1) + rates.get(rates.size() / 2)) / 2;
        double spread = median == 0 ? Double.NaN : (rates.get(rates.size() - 1) - rates.get(0)) / median * 100;
        return new Agg(median, spread, latency, cycle, proxyKnown ? perThousand(proxyMs, offered) : Double.NaN,
                proxyKnown && proxyMs > 0 && !Double.isNaN(jitMs) ? jitMs / proxyMs * 100 : Double.NaN,
                perThousand(backendMs, offered), window == 0 ? Double.NaN : driverMs * 1e6 / window * 100, errors,
                window == 0 ? Double.NaN : offered * 1e9 / window);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f%%", v);
    }

    private static String machine(Optional<Path> nginx) {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (Exception e) {
            // keep unknown
        }
        String kernel = "";
        try {
            kernel = ", Linux " + Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (Exception e) {
            // keep empty
        }
        String nginxVersion = nginx.map(Report::nginxVersion).map(v -> ", " + v).orElse("");
        return Runtime.getRuntime().availableProcessors() + " cores visible to the driver (" + cpu + ")" + kernel
                + ", Java " + System.getProperty("java.version") + nginxVersion;
    }

    private static String nginxVersion(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return out.replace("nginx version: ", "");
        } catch (Exception e) {
            return "nginx";
        }
    }
}
