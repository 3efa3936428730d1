package io.wsgate.bench.orchestrator;

import io.wsgate.bench.Args;
import io.wsgate.bench.UsageException;
import io.wsgate.bench.driver.BenchConnection;
import io.wsgate.bench.driver.Clients;
import io.wsgate.bench.driver.LoadTarget;
import io.wsgate.bench.driver.StuckPeer;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import static io.wsgate.bench.orchestrator.Orchestrator.progress;

/**
 * {@code drain [--pairs 5000] [--stuck 0] [--drain-window 0s] [--drain-timeout 30s]}: a rolling restart,
 * measured. Starts the echo backend and a fresh demo gateway with those drain options, opens the pairs
 * (and {@code --stuck} raw clients that never answer a close), sends the gateway SIGTERM, and reports how
 * long the drain took, how many closes the clients saw each second, their codes, and what the gateway
 * printed (pairs closed and aborted).
 */
public final class DrainCommand {

    private static final Pattern LISTENING = Pattern.compile("wsgate listening on ws://(\\S+?):(\\d+)");

    private DrainCommand() {
    }

    /**
     * @param args the options
     * @return the exit status
     * @throws Exception when a process does not start or the pairs cannot be opened
     */
    public static int main(String[] args) throws Exception {
        Args opts = Args.parse(args, Set.of("help"), Set.of("pairs", "stuck", "drain-window", "drain-timeout",
                "wsgate-jar", "source-addresses"));
        if (opts.flag("help")) {
            System.out.println("usage: java -jar wsgate-bench.jar drain [--pairs 5000] [--stuck 0] [--drain-window 0s] "
                    + "[--drain-timeout 30s] [--wsgate-jar PATH] [--source-addresses 4]");
            return 0;
        }
        int pairs = opts.intValue("pairs", 5000);
        int stuck = opts.intValue("stuck", 0);
        String window = opts.value("drain-window").orElse("0s");
        String timeout = opts.value("drain-timeout").orElse("30s");
        Path jar = opts.value("wsgate-jar").map(Path::of).orElseGet(RunOptions::defaultDemoJar);
        if (!Files.isRegularFile(jar)) {
            throw new UsageException("no demo gateway at " + jar + " (build it, or give --wsgate-jar)");
        }
        Path work = Files.createTempDirectory("wsgate-drain-");
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Launched.Started echoStarted = Launched.start("echo-backend", List.of(javaBin, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                        "io.wsgate.bench.BenchMain", "echo", "--port", "0"), work,
                Pattern.compile("echo listening on ws://([^\\s/]+):(\\d+)"), Duration.ofSeconds(30));
        try (Launched echo = echoStarted.process()) {
            String backend = "ws://127.0.0.1:" + echoStarted.ready().group(2) + "/echo";
            Launched.Started gw = Launched.start("wsgate", List.of(javaBin, "-Xmx1g", "-Dorg.slf4j.simpleLogger.log.wsgate.access=warn",
                    "-jar", jar.toString(), "--port", "0", "--route", "/echo=" + backend,
                    "--drain-window", window, "--drain-timeout", timeout), work, LISTENING, Duration.ofSeconds(60));
            try (Launched gateway = gw.process()) {
                URI uri = URI.create("ws://127.0.0.1:" + gw.ready().group(2) + "/echo");
                progress("drain: " + pairs + " pairs and " + stuck + " stuck clients through " + uri
                        + " (window " + window + ", timeout " + timeout + ")");
                return run(opts, uri, pairs, stuck, gateway, window, timeout);
            }
        }
    }

    private static int run(Args opts, URI uri, int pairs, int stuck, Launched gateway, String window, String timeout)
            throws Exception {
        try (Clients clients = new Clients(opts.intValue("source-addresses", 4))) {
            LoadTarget target = new LoadTarget(uri, true, Optional.empty());
            AtomicLong sigterm = new AtomicLong(Long.MAX_VALUE);
            Map<Integer, AtomicLong> perSecond = new ConcurrentHashMap<>();
            Map<Integer, AtomicLong> codes = new ConcurrentHashMap<>();
            AtomicLong lastClose = new AtomicLong();
            List<CompletableFuture<?>> closes = new ArrayList<>(pairs);
            Semaphore inFlight = new Semaphore(500);
            for (int i = 0; i < pairs; i++) {
                inFlight.acquire();
                CompletableFuture<BenchConnection> opened = BenchConnection.open(clients.get(i), target, 16, (c, s, n) -> { });
                opened.whenComplete((c, f) -> inFlight.release());
                BenchConnection connection = opened.get(30, TimeUnit.SECONDS);
                closes.add(connection.closed().thenAccept(status -> {
                    long now = System.nanoTime();
                    lastClose.accumulateAndGet(now, Math::max);
                    int second = (int) Math.max(0, (now - sigterm.get()) / 1_000_000_000L);
                    perSecond.computeIfAbsent(second, k -> new AtomicLong()).incrementAndGet();
                    codes.computeIfAbsent(status.getCode(), k -> new AtomicLong()).incrementAndGet();
                }));
            }
            List<StuckPeer> stuckPeers = new ArrayList<>();
            for (int i = 0; i < stuck; i++) {
                stuckPeers.add(StuckPeer.open(uri));
            }
            progress("drain: all open; SIGTERM to the gateway (pid " + gateway.pid() + ")");
            long t0 = System.nanoTime();
            sigterm.set(t0);
            ProcessHandle handle = ProcessHandle.of(gateway.pid()).orElseThrow();
            handle.destroy();
            CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            double closedAfter = (lastClose.get() - t0) / 1e9;
            handle.onExit().get(10, TimeUnit.MINUTES);
            double exitedAfter = (System.nanoTime() - t0) / 1e9;
            long dropped = stuckPeers.stream().filter(StuckPeer::droppedByGateway).count();
            for (StuckPeer p : stuckPeers) {
                p.close();
            }
            String said = gateway.tail().lines().filter(l -> l.contains("drained")).reduce((a, b) -> b).orElse("(no drain line)");
            System.out.printf(Locale.ROOT, "drain of %d pairs + %d stuck clients (window %s, timeout %s)%n", pairs, stuck, window, timeout);
            System.out.printf(Locale.ROOT, "  SIGTERM to the last client close: %.2f s; to the gateway's exit: %.2f s%n", closedAfter, exitedAfter);
            System.out.println("  client closes per second after SIGTERM: " + new TreeMap<>(perSecond));
            System.out.println("  close codes the clients got: " + new TreeMap<>(codes));
            System.out.printf(Locale.ROOT, "  stuck clients dropped by the gateway: %d of %d%n", dropped, stuck);
            System.out.println("  the gateway printed: " + said);
            return 0;
        }
    }
}
