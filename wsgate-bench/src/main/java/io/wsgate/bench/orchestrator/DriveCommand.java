package io.wsgate.bench.orchestrator;

import io.wsgate.bench.Args;
import io.wsgate.bench.UsageException;
import io.wsgate.bench.driver.Clients;
import io.wsgate.bench.driver.ConcurrencyResult;
import io.wsgate.bench.driver.LoadRuns;
import io.wsgate.bench.driver.LoadTarget;
import io.wsgate.bench.driver.RunResult;
import io.wsgate.bench.driver.Window;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code drive --url ws://... --mode tp64|tp16k|latency|handshake|concurrency [--pid PID] ...}: one
 * load mode against one URL, without starting anything; prints one line. For ad-hoc runs
 * against a proxy the orchestrator does not manage.
 */
public final class DriveCommand {

    private DriveCommand() {
    }

    /**
     * @param args the options
     * @return the exit status
     * @throws Exception when the run fails
     */
    public static int main(String[] args) throws Exception {
        Args opts = Args.parse(args, Set.of("binary", "help"), Set.of("url", "mode", "pid", "warmup", "measure",
                "connections", "size", "rate", "parallel", "pairs", "source-addresses", "bearer"));
        if (opts.flag("help")) {
            System.out.println("usage: java -jar wsgate-bench.jar drive --url ws://HOST:PORT/path --mode tp|latency|handshake|concurrency "
                    + "[--size BYTES] [--connections N] [--rate N] [--parallel N] [--pairs N] [--warmup D] [--measure D] "
                    + "[--pid PID (the proxy, for its CPU)] [--bearer TOKEN] [--binary]");
            return 0;
        }
        URI uri = URI.create(opts.value("url").orElseThrow(() -> new UsageException("drive needs --url ws://HOST:PORT/path")));
        if (!"ws".equals(uri.getScheme())) {
            throw new UsageException("--url must be a ws:// URL, got " + uri);
        }
        LoadTarget target = new LoadTarget(uri, !opts.flag("binary"), opts.value("bearer"));
        String mode = opts.value("mode").orElse("tp");
        Duration warmup = opts.duration("warmup", Duration.ofSeconds(1));
        Duration measure = opts.duration("measure", Duration.ofSeconds(5));
        Optional<Long> pid = opts.value("pid").map(Long::parseLong);
        double[] cpu = {Double.NaN};
        Window window = pid.<Window>map(p -> new Window() {
            private double t0;

            @Override
            public void opened() {
                t0 = ProcStat.cpuMillis(ProcStat.withChildren(p));
            }

            @Override
            public void closed() {
                cpu[0] = ProcStat.cpuMillis(ProcStat.withChildren(p)) - t0;
            }
        }).orElse(Window.NONE);
        if (mode.equals("concurrency")) {
            try (Clients clients = new Clients(opts.intValue("source-addresses", 4))) {
                long rss0 = pid.map(p -> ProcStat.rssKiB(ProcStat.withChildren(p))).orElse(-1L);
                long[] rss1 = {-1};
                ConcurrencyResult r = LoadRuns.concurrency(clients, target, opts.intValue("pairs", 1000), 64,
                        () -> rss1[0] = pid.map(p -> ProcStat.rssKiB(ProcStat.withChildren(p))).orElse(-1L));
                System.out.printf(Locale.ROOT, "concurrency %s: %d asked, %d opened, %d echoed, %d alive, %s KiB RSS/pair%n",
                        uri, r.requested(), r.opened(), r.verified(), r.aliveAtEnd(),
                        pid.isPresent() ? Table.num((rss1[0] - rss0) / (double) Math.max(1, r.verified()), 1) : "-");
            }
            return 0;
        }
        try (Clients clients = new Clients(1)) {
            double driver0 = ProcStat.cpuMillis(ProcessHandle.current().pid());
            long t0 = System.nanoTime();
            RunResult r = switch (mode) {
                case "tp" -> LoadRuns.throughput(clients, target, opts.intValue("connections", 50), opts.intValue("size", 64),
                        warmup, measure, window);
                case "latency" -> LoadRuns.fixedRate(clients, target, opts.intValue("connections", 50), opts.intValue("size", 64),
                        opts.doubleValue("rate", 2000), warmup, measure, window);
                case "handshake" -> LoadRuns.handshakes(clients, target, opts.intValue("parallel", 16), warmup, measure, window);
                default -> throw new UsageException("unknown --mode '" + mode + "'; modes: tp, latency, handshake, concurrency");
            };
            System.out.printf(Locale.ROOT, "%s %s: %,.0f /s, p50 %s µs, p99 %s µs, p99.9 %s µs, errors %d, proxy CPU %s ms/1k, driver CPU %.0f%%%n",
                    mode, uri, r.perSecond(), Table.num(Orchestrator.p(r.latency(), 50), 0),
                    Table.num(Orchestrator.p(r.latency(), 99), 0), Table.num(Orchestrator.p(r.latency(), 99.9), 0),
                    r.errors(), Table.num(Orchestrator.perThousand(cpu[0], r.offered()), 1),
                    (ProcStat.cpuMillis(ProcessHandle.current().pid()) - driver0) * 1e8 / (System.nanoTime() - t0));
        }
        return 0;
    }
}
