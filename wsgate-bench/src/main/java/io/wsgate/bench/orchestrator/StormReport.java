package io.wsgate.bench.orchestrator;

import io.wsgate.bench.driver.Storm;
import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

import static io.wsgate.bench.orchestrator.Table.num;
import static io.wsgate.bench.orchestrator.Table.ratio;

/** The storm command's tables: every storm, then per target the median over rounds, then the ratios. */
final class StormReport {

    /**
     * One storm on one fresh proxy.
     *
     * @param result       what the driver measured
     * @param startSeconds from the process's launch to its "listening" (0 for direct)
     * @param proxyCpuMs   the proxy's CPU from the first connect to the last echo; NaN for direct
     * @param jitCpuMs     of it, the JIT compiler threads'; NaN when not a JVM
     * @param backendCpuMs the echo backend's in the same time
     * @param overflows    the kernel's ListenOverflows in the same time (every socket); -1 when unknown
     */
    record Measured(Storm.Result result, double startSeconds, double proxyCpuMs, double jitCpuMs, double backendCpuMs,
                    long overflows) {

        String summary() {
            return String.format(Locale.ROOT, "started in %.2f s; %d clients in %.2f s, 101 p50 %.1f ms p99 %.1f ms, "
                            + "%d errors%s, proxy CPU %.0f ms, listen overflows %d", startSeconds, result.clients(),
                    result.stormNanos() / 1e9, ms(result.handshake(), 50), ms(result.handshake(), 99), result.errors(),
                    result.firstError().isEmpty() ? "" : " (first: " + result.firstError() + ")", proxyCpuMs, overflows);
        }
    }

    private StormReport() {
    }

    static String render(int clients, int inFlight, int rounds, int sources, boolean pin, Duration timeout,
                         List<StormCommand.Subject> subjects, Map<String, List<Measured>> results,
                         Optional<Path> nginx, long elapsedNanos) {
        StringBuilder out = new StringBuilder();
        out.append("\n## wsgate-bench storm\n\n");
        out.append(String.format(Locale.ROOT, "%d clients per storm, %s, from %d source address(es); each connects and "
                        + "sends one 16 B text message; handshake and echo timeout %d s; %d round(s), targets in a rotating "
                        + "order; a fresh proxy process per storm (the echo backend stays up, warmed first)%s; took %.0f s.%n",
                clients, inFlight == 0 ? "all at once (no pacing)" : "at most " + inFlight + " handshakes in flight",
                sources, timeout.toSeconds(), rounds, pin ? "; driver on its own core, backend and proxy sharing the other" : "",
                elapsedNanos / 1e9));
        out.append("storm s: from the first connect to the last echo. 101: from a client's connect to its 101. CPU: the "
                + "proxy's user + system time over the storm (/proc/PID/stat; nginx: master + worker), \"of it JIT\" its "
                + "C1/C2 compiler threads'. start s: from the launch of the process to its listening line (nginx: to its "
                + "first accepted connection). Listen overflows: the kernel's TcpExt ListenOverflows during the storm "
                + "(SYNs dropped by a full accept queue, any socket on the machine).\n\n");
        out.append("### every storm\n\n");
        Table each = new Table("target", "round", "start s", "storm s", "101 p50 ms", "101 p99 ms", "101 max ms", "errors",
                "proxy CPU ms", "of it JIT", "backend CPU ms", "listen overflows");
        for (int round = 0; round < rounds; round++) {
            for (StormCommand.Subject s : subjects) {
                List<Measured> list = results.get(s.name());
                if (round >= list.size()) {
                    continue;
                }
                Measured m = list.get(round);
                Histogram h = m.result().handshake();
                each.row(s.name(), round + 1, num(m.startSeconds(), 2), num(m.result().stormNanos() / 1e9, 2),
                        num(ms(h, 50), 1), num(ms(h, 99), 1), num(h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1e6, 0),
                        m.result().errors(), num(m.proxyCpuMs(), 0), pct(m.jitCpuMs(), m.proxyCpuMs()),
                        num(m.backendCpuMs(), 0), m.overflows() < 0 ? "-" : Long.toString(m.overflows()));
            }
        }
        out.append(each.render());
        out.append("\n### per target (median over rounds; 101 percentiles over all rounds' clients)\n\n");
        Table sum = new Table("target", "storm s", "min – max s", "101 p50 ms", "101 p99 ms", "errors", "proxy CPU ms",
                "of it JIT", "start s", "start + storm s", "listen overflows");
        for (StormCommand.Subject s : subjects) {
            List<Measured> list = results.get(s.name());
            Histogram all = merged(list);
            double jit = median(list, Measured::jitCpuMs);
            sum.row(s.name(), num(median(list, StormReport::seconds), 2),
                    num(min(list, StormReport::seconds), 2) + " – " + num(max(list, StormReport::seconds), 2),
                    num(ms(all, 50), 1), num(ms(all, 99), 1), list.stream().mapToLong(m -> m.result().errors()).sum(),
                    num(median(list, Measured::proxyCpuMs), 0), pct(jit, median(list, Measured::proxyCpuMs)),
                    num(median(list, Measured::startSeconds), 2), num(median(list, m -> m.startSeconds() + seconds(m)), 2),
                    num(median(list, m -> m.overflows()), 0));
        }
        out.append(sum.render()).append('\n');
        for (String ref : List.of("nginx", "direct")) {
            if (!results.containsKey(ref)) {
                continue;
            }
            List<Measured> r = results.get(ref);
            for (StormCommand.Subject s : subjects) {
                if (s.name().equals(ref) || s.name().equals("direct")) {
                    continue;
                }
                List<Measured> a = results.get(s.name());
                out.append(String.format(Locale.ROOT, "- %s ÷ %s: storm time %s (per round: %s), 101 p50 %s, p99 %s, CPU %s%n",
                        s.name(), ref, ratio(median(a, StormReport::seconds), median(r, StormReport::seconds)),
                        perRound(a, r), ratio(ms(merged(a), 50), ms(merged(r), 50)), ratio(ms(merged(a), 99), ms(merged(r), 99)),
                        ref.equals("direct") ? "-" : ratio(median(a, Measured::proxyCpuMs), median(r, Measured::proxyCpuMs))));
            }
        }
        nginx.ifPresent(n -> out.append("nginx: ").append(n).append(", backlog=4096 in its listen directive.\n"));
        return out.toString();
    }

    private static String perRound(List<Measured> a, List<Measured> r) {
        List<String> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), r.size()); i++) {
            ratios.add(ratio(seconds(a.get(i)), seconds(r.get(i))));
        }
        return String.join(", ", ratios);
    }

    private static double seconds(Measured m) {
        return m.result().stormNanos() / 1e9;
    }

    private static Histogram merged(List<Measured> list) {
        Histogram h = new Histogram(3);
        list.forEach(m -> h.add(m.result().handshake()));
        return h;
    }

    static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
    }

    private static double median(List<Measured> list, ToDoubleFunction<Measured> f) {
        double[] v = list.stream().mapToDouble(f).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double min(List<Measured> list, ToDoubleFunction<Measured> f) {
        return list.stream().mapToDouble(f).min().orElse(Double.NaN);
    }

    private static double max(List<Measured> list, ToDoubleFunction<Measured> f) {
        return list.stream().mapToDouble(f).max().orElse(Double.NaN);
    }

    private static String pct(double part, double whole) {
        return Double.isNaN(part) || Double.isNaN(whole) || whole <= 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", part / whole * 100);
    }
}
