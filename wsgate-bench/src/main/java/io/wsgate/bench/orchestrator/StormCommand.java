package io.wsgate.bench.orchestrator;

import io.wsgate.bench.Args;
import io.wsgate.bench.UsageException;
import io.wsgate.bench.driver.Clients;
import io.wsgate.bench.driver.LoadTarget;
import io.wsgate.bench.driver.Storm;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static io.wsgate.bench.orchestrator.Orchestrator.progress;

/**
 * {@code storm}: a reconnect storm on a cold proxy. Starts the echo backend once (warmed by storms straight at
 * it), then, each round and for each target in a rotating order, a fresh proxy process (the demo gateway, each
 * {@code --variant} of it, nginx); as soon as it listens, N clients connect and each sends one echo
 * ({@link Storm}). Reports each storm and, per target, the median over rounds ({@link StormReport}).
 */
public final class StormCommand {

    static final String USAGE = """
            usage: java -jar wsgate-bench/target/wsgate-bench.jar storm [options]
              --clients N               clients per storm (default 5000)
              --in-flight N             handshakes in flight at most (default 500); 0: all clients at once, unpaced
              --rounds N                storms per target, interleaved (default 3)
              --timeout D               how long a handshake may take, and the wait for the last echo (default 30s)
              --source-addresses N      127.0.0.x source addresses the clients spread over (default 4)
              --with-nginx              also storm a fresh nginx (Debian's package) each round
              --no-wsgate               skip the demo gateway as it is (its --variant targets still run)
              --wsgate-jar PATH         the demo gateway jar (default: wsgate-examples/target/wsgate-demo.jar)
              --wsgate-arg ARG          extra argument for every gateway (repeatable)
              --wsgate-jvm-arg ARG      extra JVM argument for every gateway (repeatable; heap: -Xms1g -Xmx1g, unless
                                        -Xmx or -Xms is given)
              --variant NAME=ARGS       one more gateway target, with these extra arguments (space-separated; those
                                        starting with one dash, -XX:... -D..., go to the JVM, the rest to the demo),
                                        e.g. --variant 'aq50=--accept-queue 50'; repeatable
              --wsgate-access-log       keep the gateway's access log (off by default, as nginx's access_log is)
              --prime N                 storms straight at the backend before round 1, to warm it and the driver (default 2)
              --driver-core N --server-core N   cores for the driver and for backend + proxy (default 0 and 1)
              --no-pin                  do not pin processes with taskset
            """;

    /** A proxy to storm: a name, and, for a gateway, how to start a fresh one. */
    record Subject(String name, Target.Kind kind, Optional<Gateways.Variant> gateway) {
    }

    private StormCommand() {
    }

    /**
     * Called by {@code BenchMain} for {@code storm}, on the main thread.
     *
     * @param args the options
     * @return the exit status
     * @throws Exception when a process does not start
     */
    public static int main(String[] args) throws Exception {
        Args opts = Args.parse(args, Set.of("help", "with-nginx", "no-wsgate", "no-pin", "wsgate-access-log"),
                Set.of("clients", "in-flight", "rounds", "timeout", "source-addresses", "wsgate-jar", "wsgate-arg",
                        "wsgate-jvm-arg", "variant", "prime", "driver-core", "server-core"));
        if (opts.flag("help")) {
            System.out.print(USAGE);
            return 0;
        }
        int clients = opts.intValue("clients", 5000);
        int inFlight = opts.intValue("in-flight", 500);
        int rounds = opts.intValue("rounds", 3);
        int sources = opts.intValue("source-addresses", 4);
        int prime = opts.intValue("prime", 2);
        Duration timeout = opts.duration("timeout", Duration.ofSeconds(30));
        if (clients < 1 || inFlight < 0 || rounds < 1 || prime < 0 || sources < 1 || sources > 250 || timeout.isNegative()) {
            throw new UsageException("--clients and --rounds must be positive, --in-flight and --prime at least 0, "
                    + "--source-addresses 1 to 250");
        }
        Optional<Path> nginx = Optional.empty();
        if (opts.flag("with-nginx")) {
            nginx = Optional.of(Nginx.find().orElseThrow(() -> new UsageException(
                    "--with-nginx: no nginx on the PATH or at /usr/sbin/nginx (apt-get install -y nginx)")));
        }
        Gateways gateways = Gateways.from(opts, Set.of("direct", "nginx"), false, new ArrayList<>());
        List<Subject> subjects = new ArrayList<>();
        gateways.variants().forEach(v -> subjects.add(new Subject(v.name(), Target.Kind.WSGATE, Optional.of(v))));
        nginx.ifPresent(n -> subjects.add(new Subject("nginx", Target.Kind.NGINX, Optional.empty())));
        boolean pin = !opts.flag("no-pin");
        List<String> serverPin = pin ? List.of("taskset", "-c", Integer.toString(opts.intValue("server-core", 1))) : List.of();
        if (pin) {
            Launcher.pinSelf(opts.intValue("driver-core", 0));
        }
        Path work = Files.createTempDirectory("wsgate-storm-");
        progress("storm: work directory (logs, nginx configs): " + work);
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> echoCmd = new ArrayList<>(serverPin);
        echoCmd.addAll(List.of(javaBin, "-Xms256m", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.wsgate.bench.BenchMain", "echo", "--port", "0"));
        Launched.Started echoStarted = Launched.start("echo-backend", echoCmd, work,
                Pattern.compile("echo listening on ws://([^\\s/]+):(\\d+)"), Duration.ofSeconds(30));
        long began = System.nanoTime();
        try (Launched echo = echoStarted.process();
             Clients driver = new Clients(sources, timeout)) {
            int backendPort = Integer.parseInt(echoStarted.ready().group(2));
            URI direct = URI.create("ws://127.0.0.1:" + backendPort + "/echo");
            for (int i = 0; i < prime; i++) {
                Storm.Result r = Storm.run(driver, new LoadTarget(direct, true, Optional.empty()), clients, inFlight, timeout, () -> { });
                progress(String.format(java.util.Locale.ROOT, "storm: priming %d/%d straight at the backend: %.2f s, %d errors",
                        i + 1, prime, r.stormNanos() / 1e9, r.errors()));
            }
            Map<String, List<StormReport.Measured>> results = new LinkedHashMap<>();
            List<Subject> all = new ArrayList<>();
            all.add(new Subject("direct", Target.Kind.DIRECT, Optional.empty()));
            all.addAll(subjects);
            all.forEach(s -> results.put(s.name(), new ArrayList<>()));
            for (int round = 0; round < rounds; round++) {
                for (int k = 0; k < all.size(); k++) {
                    Subject s = all.get((k + round) % all.size());
                    StormReport.Measured m = once(s, gateways, nginx, serverPin, javaBin, work, backendPort, direct,
                            driver, clients, inFlight, timeout, echo.pid());
                    results.get(s.name()).add(m);
                    progress(String.format(java.util.Locale.ROOT, "storm: round %d %s: %s", round + 1, s.name(), m.summary()));
                }
            }
            System.out.print(StormReport.render(clients, inFlight, rounds, sources, pin, timeout, all, results, nginx,
                    System.nanoTime() - began));
        }
        return 0;
    }

    private static StormReport.Measured once(Subject s, Gateways gateways, Optional<Path> nginx, List<String> serverPin,
                                             String javaBin, Path work, int backendPort, URI direct, Clients driver,
                                             int clients, int inFlight, Duration timeout, long backendPid) throws Exception {
        long launched = System.nanoTime();
        Launched process = null;
        URI uri;
        List<Long> pids;
        try {
            switch (s.kind()) {
                case DIRECT -> {
                    uri = direct;
                    pids = List.of();
                }
                case NGINX -> {
                    Nginx.Running n = Nginx.start("nginx", nginx.orElseThrow(), work, serverPin, backendPort, Optional.empty());
                    process = n.process();
                    uri = URI.create("ws://127.0.0.1:" + n.port() + "/echo");
                    pids = ProcStat.withChildren(process.pid());
                }
                default -> {
                    // not pre-touched: a storm's start time is part of what it measures
                    List<String> cmd = gateways.command(s.gateway().orElseThrow(), serverPin, javaBin, false,
                            List.of("--route", "/echo=" + direct), "ws://127.0.0.1:" + backendPort);
                    Launched.Started gw = Gateways.start(s.name(), cmd, work);
                    process = gw.process();
                    uri = URI.create(Gateways.base(gw) + "/echo");
                    pids = List.of(process.pid());
                }
            }
            double startSeconds = (System.nanoTime() - launched) / 1e9;
            Optional<Long> jvm = s.kind() == Target.Kind.WSGATE ? Optional.of(pids.get(0)) : Optional.empty();
            double[] at0 = new double[3];
            long overflows0 = ProcStat.listenOverflows();
            Storm.Result r = Storm.run(driver, new LoadTarget(uri, true, Optional.empty()), clients, inFlight, timeout, () -> {
                at0[0] = ProcStat.cpuMillis(pids);
                at0[1] = jvm.map(ProcStat::jitMillis).orElse(Double.NaN);
                at0[2] = ProcStat.cpuMillis(backendPid);
            });
            // read at the last echo's time as near as the driver can: the closes that follow are not counted
            double cpu = pids.isEmpty() ? Double.NaN : ProcStat.cpuMillis(pids) - at0[0];
            double jit = jvm.map(ProcStat::jitMillis).orElse(Double.NaN) - at0[1];
            double backend = ProcStat.cpuMillis(backendPid) - at0[2];
            long overflows = overflows0 < 0 ? -1 : ProcStat.listenOverflows() - overflows0;
            return new StormReport.Measured(r, startSeconds, cpu, jit, backend, overflows);
        } finally {
            if (process != null) {
                process.close();
            }
        }
    }
}
