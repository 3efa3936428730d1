package io.wsgate.bench.orchestrator;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.wsgate.bench.Args;
import io.wsgate.bench.UsageException;
import io.wsgate.bench.driver.BenchConnection;
import io.wsgate.bench.driver.Clients;
import io.wsgate.bench.driver.ConcurrencyResult;
import io.wsgate.bench.driver.LoadRuns;
import io.wsgate.bench.driver.LoadTarget;
import io.wsgate.bench.driver.RunResult;
import io.wsgate.bench.driver.Window;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code run}: the whole benchmark in one command. Starts the echo backend, wsgate (the demo jar,
 * {@code -Xms1g -Xmx1g}), nginx when asked, takes peers by URL, pins the driver (this JVM) to one
 * core and every server process to the other, runs each mode on every target interleaved over
 * several rounds, and prints one table per mode with ratios to direct and to each peer.
 */
public final class Orchestrator {

    private static final Logger LOG = LoggerFactory.getLogger(Orchestrator.class);

    /** The load modes, in the order they run in a round. */
    enum Mode {
        TP64("tp64", "throughput, 64 B messages, closed loop"),
        TP16K("tp16k", "throughput, 16 KiB messages, closed loop"),
        LATENCY("latency", "latency at a fixed offered load, open loop, from intended send time"),
        HANDSHAKE("handshake", "handshakes (connect + close), no token"),
        HANDSHAKE_JWT("handshake-jwt", "handshakes (connect + close) with Authorization: Bearer <JWT>"),
        CONCURRENCY("concurrency", "idle pairs held, each verified with one echo");

        final String id;
        final String title;

        Mode(String id, String title) {
            this.id = id;
            this.title = title;
        }

        static Mode of(String id) {
            for (Mode m : values()) {
                if (m.id.equals(id)) {
                    return m;
                }
            }
            throw new UsageException("unknown mode '" + id + "'; modes: tp64, tp16k, latency, handshake, handshake-jwt, concurrency");
        }
    }

    private static final Set<String> FLAGS = Set.of("quick", "full", "with-nginx", "no-wsgate", "no-pin", "binary", "wsgate-access-log", "help");
    private static final Set<String> VALUED = Set.of("modes", "rounds", "warmup", "measure", "prime", "prime-max", "rate",
            "connections", "parallel", "pairs", "source-addresses", "peer", "peer-pid", "wsgate-jar", "wsgate-arg",
            "wsgate-jvm-arg", "jwt-secret", "jwt-path", "driver-core", "server-core");

    static final String USAGE = """
            usage: java -jar wsgate-bench/target/wsgate-bench.jar run [options]
              --quick | --full          preset (default --quick: under 2 min; --full: under 10 min)
              --with-nginx              also start nginx (Debian's package) twice: default and 64 KiB proxy buffers
              --peer NAME=ws://H:P/path another proxy in front of the echo backend (repeatable)
              --peer-pid NAME=PID       that peer's process, to report its CPU and memory
              --no-wsgate               skip wsgate (default: wsgate-examples/target/wsgate-demo.jar)
              --wsgate-jar PATH         the demo gateway jar
              --wsgate-arg ARG          extra argument for the demo gateway (repeatable; {backend} = the echo backend's ws:// URL);
                                        --route or --config here replaces the generated gateway file (then /echo must exist)
              --wsgate-jvm-arg ARG      extra JVM argument for the gateway (heap is fixed at -Xms1g -Xmx1g)
              --wsgate-access-log       keep the gateway's access log (off by default, as nginx's access_log is)
              --jwt-path PATH           wsgate path of the route with a JWT policy, used by handshake-jwt (default /echo-jwt,
                                        which the generated gateway file declares; with --route or --config in --wsgate-arg,
                                        give it yourself, or the token is only carried on /echo)
              --jwt-secret S            HMAC-256 secret (at least 32 bytes) the driver signs its tokens with and wsgate checks
              --modes a,b,...           tp64,tp16k,latency,handshake,handshake-jwt,concurrency (default: all)
              --rounds N --warmup D --measure D --prime D   timing (D: 500ms, 2s, 1m); prime: per mode, before round 1
              --prime-max D             a JVM target whose JIT compilers still used more than 5% of its CPU in
                                        the last prime run is primed again, up to this long per mode
                                        (quick 3s, full 90s)
              --rate N                  offered load of the latency mode, msg/s (default 2000)
              --connections N           connections of the throughput and latency modes (default 50)
              --parallel N              parallel lanes of the handshake modes (default 16)
              --pairs N                 idle pairs of the concurrency mode (quick 1000, full 9900)
              --source-addresses N      127.0.0.x source addresses for the concurrency mode (default 4)
              --binary                  binary messages (default: text)
              --driver-core N --server-core N   cores for the driver and for backend + proxy (default 0 and 1)
              --no-pin                  do not pin processes with taskset
            """;

    /** The share of a JVM target's CPU its JIT compilers may use in a prime run for it to count as compiled. */
    static final double JIT_SETTLED = 0.05;

    private Orchestrator() {
    }

    /** Settings after presets and options. */
    record Settings(List<Mode> modes, int rounds, Duration warmup, Duration measure, Duration prime, Duration primeMax,
                    double rate,
                    int connections, int parallel, int pairs, int sourceAddresses, boolean text, boolean pin,
                    int driverCore, int serverCore, boolean full) {
    }

    /** One timed run on one target, with the CPU the processes spent in its window. */
    record Measured(RunResult result, double proxyCpuMs, double jitCpuMs, double backendCpuMs, double driverCpuMs) {
    }

    /** The concurrency mode on one target. */
    record Held(ConcurrencyResult result, double proxyRssKiB, double proxyHeapKiB, double backendRssKiB) {
    }

    /**
     * @param args the options
     * @return the exit status
     * @throws Exception when the benchmark fails
     */
    public static int main(String[] args) throws Exception {
        Args opts = Args.parse(args, FLAGS, VALUED);
        if (opts.flag("help")) {
            System.out.print(USAGE);
            return 0;
        }
        if (opts.flag("quick") && opts.flag("full")) {
            throw new UsageException("--quick and --full exclude each other");
        }
        boolean full = opts.flag("full");
        List<Mode> modes = opts.value("modes")
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).map(Mode::of).toList())
                .orElse(List.of(Mode.values()));
        Settings s = new Settings(modes,
                opts.intValue("rounds", full ? 3 : 2),
                opts.duration("warmup", full ? Duration.ofSeconds(1) : Duration.ofMillis(400)),
                opts.duration("measure", full ? Duration.ofSeconds(5) : Duration.ofMillis(1200)),
                opts.duration("prime", full ? Duration.ofSeconds(5) : Duration.ofMillis(1500)),
                opts.duration("prime-max", full ? Duration.ofSeconds(90) : Duration.ofSeconds(3)),
                opts.doubleValue("rate", 2000),
                opts.intValue("connections", 50),
                opts.intValue("parallel", 16),
                opts.intValue("pairs", full ? 9900 : 1000),
                opts.intValue("source-addresses", 4),
                !opts.flag("binary"),
                !opts.flag("no-pin"),
                opts.intValue("driver-core", 0),
                opts.intValue("server-core", 1),
                full);
        if (s.rounds() < 1 || s.connections() < 1 || s.parallel() < 1 || s.pairs() < 1 || s.rate() <= 0
                || s.sourceAddresses() < 1 || s.sourceAddresses() > 250) {
            throw new UsageException("--rounds, --connections, --parallel, --pairs and --rate must be positive; --source-addresses 1 to 250");
        }

        Optional<Path> nginx = Optional.empty();
        if (opts.flag("with-nginx")) {
            nginx = Nginx.find();
            if (nginx.isEmpty()) {
                System.err.println("wsgate-bench: --with-nginx: nginx is not installed (looked on the PATH and at /usr/sbin/nginx); "
                        + "install it with 'apt-get install -y nginx', or run without --with-nginx");
                return 2;
            }
        }
        Map<String, URI> peers = new LinkedHashMap<>();
        for (String p : opts.values("peer")) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--peer wants NAME=ws://HOST:PORT/path, got '" + p + "'");
            }
            URI uri = URI.create(p.substring(eq + 1));
            if (!"ws".equals(uri.getScheme())) {
                throw new UsageException("--peer " + p.substring(0, eq) + ": only ws:// URLs are supported");
            }
            peers.put(p.substring(0, eq), uri);
        }
        Map<String, Long> peerPids = new LinkedHashMap<>();
        for (String p : opts.values("peer-pid")) {
            int eq = p.indexOf('=');
            if (eq <= 0 || !peers.containsKey(p.substring(0, eq))) {
                throw new UsageException("--peer-pid wants NAME=PID of a --peer, got '" + p + "'");
            }
            peerPids.put(p.substring(0, eq), Long.parseLong(p.substring(eq + 1)));
        }
        Optional<Path> wsgateJar = Optional.empty();
        List<String> notes = new ArrayList<>();
        if (!opts.flag("no-wsgate")) {
            Path jar = opts.value("wsgate-jar").map(Path::of).orElseGet(Orchestrator::defaultDemoJar);
            if (Files.isRegularFile(jar)) {
                wsgateJar = Optional.of(jar);
            } else if (opts.value("wsgate-jar").isPresent()) {
                throw new UsageException("--wsgate-jar " + jar + ": no such file");
            } else {
                String note = "wsgate skipped: the demo gateway " + jar + " does not exist yet "
                        + "(build it with: mvn -B -o package -DskipTests -pl wsgate-examples -am)";
                notes.add(note);
                System.err.println(note);
            }
        }

        String jwtSecret = opts.value("jwt-secret").orElse(DEFAULT_JWT_SECRET);
        if (jwtSecret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new UsageException("--jwt-secret must be at least 32 bytes (HS256 keys shorter than the hash are refused by wsgate)");
        }
        String token = jwt(jwtSecret, JWT_ISSUER, JWT_AUDIENCE);
        List<String> wsgateArgs = opts.values("wsgate-arg");
        // The gateway is declared in a generated file (the /echo route and a /echo-jwt route with a
        // validate-jwt policy), unless the extra arguments declare the routing themselves.
        boolean userRouting = wsgateArgs.stream().anyMatch(a -> a.equals("--config") || a.startsWith("--config=")
                || a.equals("--route") || a.startsWith("--route="));
        boolean userConfig = wsgateArgs.stream().anyMatch(a -> a.equals("--config") || a.startsWith("--config="));
        String jwtPath = opts.value("jwt-path").orElse(userRouting ? "/echo" : DEFAULT_JWT_PATH);
        if (!jwtPath.startsWith("/")) {
            throw new UsageException("--jwt-path must start with '/', got '" + jwtPath + "'");
        }
        if (!userRouting && jwtPath.equals("/echo")) {
            throw new UsageException("--jwt-path /echo: the plain route has no JWT policy; pick another path (default " + DEFAULT_JWT_PATH + ")");
        }

        Path workDir = Files.createTempDirectory("wsgate-bench-");
        List<Launched> launched = Collections.synchronizedList(new ArrayList<>());
        Thread cleanup = new Thread(() -> {
            List<Launched> copy;
            synchronized (launched) {
                copy = new ArrayList<>(launched);
            }
            Collections.reverse(copy);
            copy.forEach(Launched::close);
        }, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);

        List<String> serverPin = s.pin() ? List.of("taskset", "-c", Integer.toString(s.serverCore())) : List.of();
        if (s.pin()) {
            pinSelf(s.driverCore());
        }
        progress("work directory (logs, nginx configs): " + workDir);

        String javaBin = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("java.class.path");
        List<String> echoCmd = new ArrayList<>(serverPin);
        echoCmd.addAll(List.of(javaBin, "-Xms256m", "-Xmx256m", "-cp", classpath, "io.wsgate.bench.BenchMain", "echo", "--port", "0"));
        Launched.Started echo = Launched.start("echo-backend", echoCmd, workDir,
                Pattern.compile("echo listening on ws://([^\\s/]+):(\\d+)"), Duration.ofSeconds(30));
        launched.add(echo.process());
        int backendPort = Integer.parseInt(echo.ready().group(2));
        String backendUrl = "ws://127.0.0.1:" + backendPort;
        long backendPid = echo.process().pid();
        progress("echo backend on " + backendUrl + " (pid " + backendPid + ")");

        List<Target> targets = new ArrayList<>();
        URI direct = URI.create(backendUrl + "/echo");
        targets.add(new Target("direct", Target.Kind.DIRECT, direct, direct, List::of, Optional.empty()));

        if (wsgateJar.isPresent()) {
            List<String> cmd = new ArrayList<>(serverPin);
            cmd.add(javaBin);
            // The whole heap resident from the start: the RSS growth of the concurrency mode is then the
            // memory outside the heap, whatever earlier modes touched, and the heap per pair is counted apart.
            cmd.addAll(List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"));
            if (!opts.flag("wsgate-access-log")) {
                // nginx runs with access_log off: the gateway's one line per pair goes off too
                cmd.add("-Dorg.slf4j.simpleLogger.log.wsgate.access=warn");
            }
            cmd.addAll(opts.values("wsgate-jvm-arg"));
            cmd.addAll(List.of("-jar", wsgateJar.get().toString(), "--port", "0"));
            if (!userRouting) {
                Path gatewayFile = workDir.resolve("wsgate.yaml");
                Files.writeString(gatewayFile, gatewayFile(backendUrl + "/echo", jwtPath, jwtSecret));
                cmd.addAll(List.of("--config", gatewayFile.toString()));
            } else if (!userConfig) {
                cmd.addAll(List.of("--route", "/echo=" + backendUrl + "/echo"));
            }
            for (String a : wsgateArgs) {
                cmd.add(a.replace("{backend}", backendUrl));
            }
            Launched.Started gw = Launched.start("wsgate", cmd, workDir,
                    Pattern.compile("wsgate listening on ws://(\\S+?):(\\d+)"), Duration.ofSeconds(60));
            launched.add(gw.process());
            String host = gw.ready().group(1);
            if (host.equals("0.0.0.0") || host.equals("[::]") || host.equals("localhost")) {
                host = "127.0.0.1";
            }
            String base = "ws://" + host + ":" + gw.ready().group(2);
            long pid = gw.process().pid();
            URI jwtUri = URI.create(base + jwtPath);
            targets.add(new Target("wsgate", Target.Kind.WSGATE, URI.create(base + "/echo"),
                    jwtUri, () -> List.of(pid), Optional.of(pid)));
            progress("wsgate on " + base + " (pid " + pid + ", " + wsgateJar.get()
                    + (userRouting ? ", routes from --wsgate-arg" : ", gateway file " + workDir.resolve("wsgate.yaml")) + ")");
            if (userRouting && opts.value("jwt-path").isEmpty()) {
                notes.add("handshake-jwt: the driver sends a Bearer token; wsgate validates it only on a route with a JWT "
                        + "policy, given with --jwt-path; without one, the token is only carried");
            } else {
                // A JWT mode that does not validate would measure the wrong thing: refuse to run unless
                // wsgate answers 401 to tokens it must refuse, before any load.
                verifyJwtRefused(jwtUri, jwtSecret);
                progress("wsgate " + jwtPath + ": a valid token gets 101; a missing, badly signed, wrong-issuer and "
                        + "wrong-audience token get 401");
                notes.add("handshake-jwt: wsgate validates the token on " + jwtPath + " (validate-jwt, HS256, issuer "
                        + JWT_ISSUER + ", audience " + JWT_AUDIENCE + "; checked at start: bad tokens get 401); direct and "
                        + "nginx only carry it, unvalidated");
            }
        }
        if (nginx.isPresent()) {
            for (Map.Entry<String, Optional<String>> variant : List.of(
                    Map.entry("nginx-default", Optional.<String>empty()), Map.entry("nginx-64k", Optional.of("64k")))) {
                Nginx.Running n = Nginx.start(variant.getKey(), nginx.get(), workDir, serverPin, backendPort, variant.getValue());
                launched.add(n.process());
                long master = n.process().pid();
                URI uri = URI.create("ws://127.0.0.1:" + n.port() + "/echo");
                targets.add(new Target(variant.getKey(), Target.Kind.NGINX, uri, uri,
                        () -> ProcStat.withChildren(master), Optional.empty()));
                progress(variant.getKey() + " on " + uri + " (master pid " + master + ", proxy_buffer_size "
                        + variant.getValue().orElse("default") + ")");
            }
        }
        for (Map.Entry<String, URI> peer : peers.entrySet()) {
            Long pid = peerPids.get(peer.getKey());
            targets.add(new Target(peer.getKey(), Target.Kind.PEER, peer.getValue(), peer.getValue(),
                    pid == null ? List::of : () -> ProcStat.withChildren(pid), Optional.empty()));
        }

        Map<Mode, Map<String, List<Measured>>> results = new LinkedHashMap<>();
        Map<String, Held> held = new LinkedHashMap<>();
        Map<String, Map<Mode, Duration>> primedFor = new LinkedHashMap<>();
        long startedAt = System.nanoTime();
        try (Clients clients = new Clients(1)) {
            for (Target t : targets) {
                verifyEcho(clients, t, s.text(), t.uri(), Optional.empty());
                if (s.modes().contains(Mode.HANDSHAKE_JWT) && !t.jwtUri().equals(t.uri())) {
                    verifyEcho(clients, t, s.text(), t.jwtUri(), Optional.of(token));
                }
            }
            // JVM targets (and the echo backend behind direct) run every mode before round 1, so that the
            // JIT compilers are done before any window opens; the table's JIT column shows what is left.
            for (Target t : targets) {
                if (t.kind() == Target.Kind.NGINX) {
                    continue;
                }
                for (Mode mode : s.modes()) {
                    if (mode != Mode.CONCURRENCY) {
                        Duration primed = prime(clients, mode, t, s, token, backendPid);
                        primedFor.computeIfAbsent(t.name(), k -> new LinkedHashMap<>()).put(mode, primed);
                    }
                }
            }
            for (int round = 0; round < s.rounds(); round++) {
                for (Mode mode : s.modes()) {
                    if (mode == Mode.CONCURRENCY) {
                        continue;
                    }
                    for (Target t : rotate(targets, round)) {
                        Measured m = measure(clients, mode, t, s, token, backendPid);
                        results.computeIfAbsent(mode, k -> new LinkedHashMap<>())
                                .computeIfAbsent(t.name(), k -> new ArrayList<>()).add(m);
                        progress(String.format(Locale.ROOT, "round %d/%d %-13s %-14s %,10.0f /s  p99 %,8.0f µs  proxy CPU %s ms/1k (JIT %s ms/1k)",
                                round + 1, s.rounds(), mode.id, t.name(), m.result().perSecond(),
                                m.result().latency().getValueAtPercentile(99) / 1000.0,
                                Table.num(perThousand(m.proxyCpuMs(), m.result().offered()), 1),
                                Table.num(perThousand(m.jitCpuMs(), m.result().offered()), 1)));
                    }
                }
            }
        }
        if (s.modes().contains(Mode.CONCURRENCY)) {
            try (Clients clients = new Clients(s.sourceAddresses())) {
                for (Target t : targets) {
                    Held h = hold(clients, t, s, token, backendPid);
                    held.put(t.name(), h);
                    progress(String.format(Locale.ROOT, "concurrency %-14s %d/%d echoed, proxy RSS %s KiB/pair",
                            t.name(), h.result().verified(), h.result().requested(), Table.num(h.proxyRssKiB(), 1)));
                }
            }
        }
        long elapsed = System.nanoTime() - startedAt;

        System.out.print(Report.render(s, targets, results, held, primedFor, notes, nginx, elapsed));
        cleanup.run();
        Runtime.getRuntime().removeShutdownHook(cleanup);
        return 0;
    }

    static final String JWT_ISSUER = "wsgate-bench";
    static final String JWT_AUDIENCE = "wsgate";
    static final String DEFAULT_JWT_SECRET = "wsgate-bench-secret-0123456789abcdef0123";
    static final String DEFAULT_JWT_PATH = "/echo-jwt";

    static String jwt(String secret, String issuer, String audience) {
        return JWT.create().withIssuer(issuer).withAudience(audience).withSubject("bench")
                .withExpiresAt(Instant.now().plus(2, ChronoUnit.HOURS))
                .sign(Algorithm.HMAC256(secret));
    }

    /**
     * The gateway the benchmark runs: {@code /echo} to the echo backend with no policy, and the same
     * backend on {@code jwtPath} behind a validate-jwt policy with the driver's HS256 secret, issuer
     * and audience. The secret goes in base64, so that no character of it needs YAML quoting.
     */
    static String gatewayFile(String backend, String jwtPath, String secret) {
        String secretBase64 = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
        return """
                # Written by wsgate-bench run: the gateway it measures (docs/configuration.md).
                apis:
                  - name: echo
                    urlSuffix: /echo
                    backendUrl: "%1$s"
                  - name: echo-jwt
                    urlSuffix: "%2$s"
                    backendUrl: "%1$s"
                    onHandshake:
                      - validate-jwt:
                          keys:
                            - algorithm: HS256
                              secretBase64: "%3$s"
                          issuers: [%4$s]
                          audiences: [%5$s]
                          tokenFrom: [authorization-header]
                """.formatted(backend, jwtPath, secretBase64, JWT_ISSUER, JWT_AUDIENCE);
    }

    /**
     * Fails unless the JWT route refuses bad tokens with 401: none, a wrong signature, a wrong issuer,
     * a wrong audience. A raw HTTP/1.1 upgrade request, so that the status is read as sent.
     */
    private static void verifyJwtRefused(URI uri, String secret) throws IOException {
        Map<String, Optional<String>> bad = new LinkedHashMap<>();
        bad.put("no token", Optional.empty());
        bad.put("a token signed with another secret", Optional.of(jwt(secret + "-wrong", JWT_ISSUER, JWT_AUDIENCE)));
        bad.put("a token from another issuer", Optional.of(jwt(secret, "someone-else", JWT_AUDIENCE)));
        bad.put("a token for another audience", Optional.of(jwt(secret, JWT_ISSUER, "someone-else")));
        for (Map.Entry<String, Optional<String>> e : bad.entrySet()) {
            int status = upgradeStatus(uri, e.getValue());
            if (status != 401) {
                throw new IOException("wsgate does not validate tokens on " + uri + ": a handshake with " + e.getKey()
                        + " got " + status + " instead of 401; handshake-jwt would not measure JWT validation");
            }
        }
        int good = upgradeStatus(uri, Optional.of(jwt(secret, JWT_ISSUER, JWT_AUDIENCE)));
        if (good != 101) {
            throw new IOException("wsgate refuses the driver's valid token on " + uri + " with " + good + " instead of 101");
        }
    }

    private static int upgradeStatus(URI uri, Optional<String> token) throws IOException {
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(15_000);
            String request = "GET " + uri.getRawPath() + " HTTP/1.1\r\n"
                    + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + token.map(t -> "Authorization: Bearer " + t + "\r\n").orElse("")
                    + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            StringBuilder line = new StringBuilder();
            java.io.InputStream in = socket.getInputStream();
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                line.append((char) b);
            }
            String[] parts = line.toString().trim().split(" ");
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("no HTTP response from " + uri + " to an upgrade request: '" + line.toString().trim() + "'");
            }
            return Integer.parseInt(parts[1]);
        }
    }

    static LoadTarget load(Target t, Settings s, boolean jwt, String token) {
        LoadTarget load = new LoadTarget(jwt ? t.jwtUri() : t.uri(), s.text(), Optional.empty());
        return jwt ? load.withToken(token) : load;
    }

    /**
     * Runs a mode on a JVM target before round 1: for the prime time, then again while the target's JIT
     * compilers used more than {@link #JIT_SETTLED} of its CPU in the last run, up to the prime maximum. A
     * gateway runs for days; the windows are meant to measure its compiled code, not its compiler.
     *
     * @return how long the mode was run
     */
    private static Duration prime(Clients clients, Mode mode, Target t, Settings s, String token, long backendPid)
            throws Exception {
        Duration spent = Duration.ZERO;
        // at least one run, and never more than the maximum allows (a zero prime time runs once)
        long maxRuns = s.prime().isZero() || s.prime().isNegative() ? 1
                : Math.max(1, s.primeMax().toNanos() / s.prime().toNanos());
        for (long runs = 1; ; runs++) {
            CpuWindow window = new CpuWindow(t, backendPid);
            run(clients, mode, t, s, token, Duration.ZERO, s.prime(), window);
            spent = spent.plus(s.prime());
            // not measurable (no JVM, no CPU seen, a target gone): nothing to wait for
            boolean measurable = window.proxyMs > 0 && window.jitMs >= 0 && Double.isFinite(window.jitMs);
            double share = measurable ? window.jitMs / window.proxyMs : Double.NaN;
            boolean settled = !measurable || share <= JIT_SETTLED;
            if (settled || runs >= maxRuns) {
                progress(String.format(Locale.ROOT, "primed %-13s %-14s %5.1f s%s", mode.id, t.name(),
                        spent.toMillis() / 1000.0, !measurable ? ""
                                : String.format(Locale.ROOT, ", JIT %.0f%% of its CPU in the last %.1f s%s", share * 100,
                                s.prime().toMillis() / 1000.0, settled ? "" : " (still compiling: prime maximum reached)")));
                return spent;
            }
        }
    }

    private static Measured measure(Clients clients, Mode mode, Target t, Settings s, String token, long backendPid)
            throws Exception {
        CpuWindow window = new CpuWindow(t, backendPid);
        RunResult r = run(clients, mode, t, s, token, s.warmup(), s.measure(), window);
        return new Measured(r, window.proxyMs, window.jitMs, window.backendMs, window.driverMs);
    }

    private static RunResult run(Clients clients, Mode mode, Target t, Settings s, String token, Duration warmup,
                                 Duration measure, Window window) throws Exception {
        return switch (mode) {
            case TP64 -> LoadRuns.throughput(clients, load(t, s, false, token), s.connections(), 64, warmup, measure, window);
            case TP16K -> LoadRuns.throughput(clients, load(t, s, false, token), s.connections(), 16 * 1024, warmup, measure, window);
            case LATENCY -> LoadRuns.fixedRate(clients, load(t, s, false, token), s.connections(), 64, s.rate(), warmup, measure, window);
            case HANDSHAKE -> LoadRuns.handshakes(clients, load(t, s, false, token), s.parallel(), warmup, measure, window);
            case HANDSHAKE_JWT -> LoadRuns.handshakes(clients, load(t, s, true, token), s.parallel(), warmup, measure, window);
            case CONCURRENCY -> throw new IllegalStateException("concurrency is not a timed mode");
        };
    }

    private static Held hold(Clients clients, Target t, Settings s, String token, long backendPid) throws Exception {
        progress("concurrency " + t.name() + ": opening " + s.pairs() + " pairs over " + s.sourceAddresses() + " source addresses");
        t.jvmPid().ifPresent(Orchestrator::gc);
        long rss0 = t.measurable() ? ProcStat.rssKiB(t.pids().get()) : -1;
        double heap0 = t.jvmPid().map(Orchestrator::heapUsedKiB).orElse(Double.NaN);
        long backendRss0 = ProcStat.rssKiB(backendPid);
        double[] after = new double[3];
        ConcurrencyResult r = LoadRuns.concurrency(clients, load(t, s, false, token), s.pairs(), 64, () -> {
            t.jvmPid().ifPresent(Orchestrator::gc);
            after[0] = t.measurable() ? ProcStat.rssKiB(t.pids().get()) : -1;
            after[1] = t.jvmPid().map(Orchestrator::heapUsedKiB).orElse(Double.NaN);
            after[2] = ProcStat.rssKiB(backendPid);
        });
        double n = Math.max(1, r.verified());
        double rss = t.measurable() ? (after[0] - rss0) / n : Double.NaN;
        double heap = (after[1] - heap0) / n;
        double backendRss = (after[2] - backendRss0) / n;
        // let the closes settle before the next target
        Thread.sleep(500);
        return new Held(r, rss, heap, backendRss);
    }

    private static void verifyEcho(Clients clients, Target t, boolean text, URI uri, Optional<String> token) throws Exception {
        CompletableFuture<Long> echoed = new CompletableFuture<>();
        BenchConnection c;
        try {
            c = BenchConnection.open(clients.get(0), new LoadTarget(uri, text, token), 64,
                    (conn, stamp, now) -> echoed.complete(stamp)).get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("target " + t.name() + " (" + uri + (token.isPresent() ? ", with a valid token" : "")
                    + ") does not accept a WebSocket: " + e.getMessage(), e);
        }
        try {
            c.send(42);
            long stamp = echoed.get(10, TimeUnit.SECONDS);
            if (stamp != 42) {
                throw new IOException("target " + t.name() + " echoed a different message");
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("target " + t.name() + " (" + uri + ") did not echo within 10 s", e);
        } finally {
            c.close().get(10, TimeUnit.SECONDS);
        }
    }

    static List<Target> rotate(List<Target> targets, int round) {
        List<Target> order = new ArrayList<>(targets);
        Collections.rotate(order, -round);
        return order;
    }

    static double perThousand(double cpuMs, long count) {
        return Double.isNaN(cpuMs) || count <= 0 ? Double.NaN : cpuMs * 1000.0 / count;
    }

    /** Samples the proxy's, the backend's and this JVM's CPU time at the window's edges. */
    private static final class CpuWindow implements Window {
        private final Target target;
        private final long backendPid;
        private final long self = ProcessHandle.current().pid();
        private List<Long> pids = List.of();
        private double proxy0;
        private double backend0;
        private double driver0;
        private double jit0;
        double proxyMs = Double.NaN;
        double jitMs = Double.NaN;
        double backendMs = Double.NaN;
        double driverMs = Double.NaN;

        CpuWindow(Target target, long backendPid) {
            this.target = target;
            this.backendPid = backendPid;
        }

        @Override
        public void opened() {
            pids = target.pids().get();
            proxy0 = ProcStat.cpuMillis(pids);
            jit0 = target.jvmPid().map(ProcStat::jitMillis).orElse(Double.NaN);
            backend0 = ProcStat.cpuMillis(backendPid);
            driver0 = ProcStat.cpuMillis(self);
        }

        @Override
        public void closed() {
            if (!pids.isEmpty()) {
                proxyMs = ProcStat.cpuMillis(pids) - proxy0;
                jitMs = target.jvmPid().map(ProcStat::jitMillis).orElse(Double.NaN) - jit0;
            }
            backendMs = ProcStat.cpuMillis(backendPid) - backend0;
            driverMs = ProcStat.cpuMillis(self) - driver0;
        }
    }

    static Path defaultDemoJar() {
        Path rel = Path.of("wsgate-examples", "target", "wsgate-demo.jar");
        if (Files.isRegularFile(rel)) {
            return rel.toAbsolutePath();
        }
        try {
            Path self = Path.of(Orchestrator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // wsgate-bench/target/wsgate-bench.jar -> repository root
            Path root = self.getParent().getParent().getParent();
            Path candidate = root.resolve(rel);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        } catch (Exception e) {
            // fall through
        }
        return rel.toAbsolutePath();
    }

    private static void pinSelf(int core) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", Integer.toString(core),
                Long.toString(ProcessHandle.current().pid())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("taskset could not pin the driver to core " + core + " (use --no-pin): " + out.trim());
        }
    }

    /** False once jcmd failed: the attach mechanism can be unavailable (another user, -XX:+DisableAttachMechanism); heap is then not reported. */
    private static volatile boolean jcmdWorks = true;

    private static Optional<String> jcmd(long pid, String command) {
        if (!jcmdWorks) {
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
            LOG.warn("jcmd {} {} failed; heap per pair will not be reported: {}", pid, command,
                    out.lines().filter(l -> l.contains("Exception")).findFirst().orElse(out.trim()));
        } catch (Exception e) {
            LOG.warn("jcmd {} {} failed; heap per pair will not be reported: {}", pid, command, e.toString());
        }
        jcmdWorks = false;
        return Optional.empty();
    }

    private static void gc(long pid) {
        jcmd(pid, "GC.run");
    }

    private static double heapUsedKiB(long pid) {
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

    static void progress(String line) {
        System.err.println("[bench] " + line);
    }

    static double p(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }
}
