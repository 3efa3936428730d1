package io.wsgate.bench.orchestrator;

import io.wsgate.bench.Args;
import io.wsgate.bench.UsageException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code run} command's options, checked: the settings, and what to start and measure (nginx, the
 * peers, the gateway jar and its arguments, the JWT route).
 *
 * @param settings        the modes, timing and load
 * @param nginx           the nginx binary, when {@code --with-nginx} asked for it
 * @param peers           the other proxies by name, in the order given
 * @param peerPids        the processes of some of those peers, by name
 * @param gateways        the demo gateways ({@code wsgate} and the variants), their jar and common arguments
 * @param notes           lines for the report's notes (why wsgate was skipped)
 * @param jwtSecret       the HMAC-256 secret of the driver's tokens
 * @param jwtPath         the gateway path of the route with a JWT policy
 * @param jwtPathGiven    whether {@code --jwt-path} was given
 */
record RunOptions(Settings settings, Optional<Path> nginx, Map<String, URI> peers, Map<String, Long> peerPids,
                  Gateways gateways, List<String> notes, String jwtSecret, String jwtPath, boolean jwtPathGiven) {

    /** The options that take no value. */
    static final Set<String> FLAGS = Set.of("quick", "full", "with-nginx", "no-wsgate", "no-pin", "binary", "wsgate-access-log", "help");
    /** The options that take one. */
    static final Set<String> VALUED = Set.of("modes", "rounds", "warmup", "measure", "prime", "prime-max", "rate",
            "connections", "parallel", "pairs", "source-addresses", "peer", "peer-pid", "wsgate-jar", "wsgate-arg",
            "wsgate-jvm-arg", "variant", "jwt-secret", "jwt-path", "driver-core", "server-core");

    static final String USAGE = """
            usage: java -jar wsgate-bench/target/wsgate-bench.jar run [options]
              --quick | --full          preset (default --quick: under 2 min; --full: under 10 min)
              --with-nginx              also start nginx (Debian's package) twice: default and 64 KiB proxy buffers
              --peer NAME=ws://H:P/path another proxy in front of the echo backend (repeatable)
              --peer-pid NAME=PID       that peer's process, to report its CPU and memory
              --no-wsgate               skip the demo gateway as it is (its --variant targets still run)
              --wsgate-jar PATH         the demo gateway jar (default: wsgate-examples/target/wsgate-demo.jar)
              --wsgate-arg ARG          extra argument for every gateway (repeatable; {backend} = the echo backend's ws:// URL);
                                        --route or --config here replaces the generated gateway file (then /echo must exist)
              --wsgate-jvm-arg ARG      extra JVM argument for every gateway (heap: -Xms1g -Xmx1g, unless -Xmx or -Xms is given)
              --variant NAME=ARGS       one more gateway target, with these extra arguments (space-separated; those
                                        starting with one dash, -Xmx64m -XX:... -D..., go to the JVM, the rest to the
                                        demo), e.g. --variant 'handler=--connector handler'; repeatable. A variant
                                        that does not start, or fails in the concurrency mode, is reported, not fatal
              --wsgate-access-log       keep the gateways' access log (off by default, as nginx's access_log is)
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

    /**
     * Checks the options in the order a user would fix them: settings, nginx, peers, the gateway jar, the
     * JWT route. A missing default gateway jar is not an error: wsgate is skipped, with a note on stderr.
     *
     * @param opts the parsed {@code run} options
     * @return the checked options
     * @throws UsageException on the first option that cannot be used
     */
    static RunOptions from(Args opts) {
        Settings settings = Settings.from(opts);
        Optional<Path> nginx = Optional.empty();
        if (opts.flag("with-nginx")) {
            nginx = Nginx.find();
            if (nginx.isEmpty()) {
                throw new UsageException("--with-nginx: nginx is not installed (looked on the PATH and at /usr/sbin/nginx); "
                        + "install it with 'apt-get install -y nginx', or run without --with-nginx");
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
        List<String> notes = new ArrayList<>();
        Set<String> reserved = new java.util.HashSet<>(Set.of("direct", "nginx-default", "nginx-64k"));
        reserved.addAll(peers.keySet());
        Gateways gateways = Gateways.from(opts, reserved, true, notes);

        String jwtSecret = opts.value("jwt-secret").orElse(JwtRoute.DEFAULT_SECRET);
        if (jwtSecret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new UsageException("--jwt-secret must be at least 32 bytes (HS256 keys shorter than the hash are refused by wsgate)");
        }
        boolean userRouting = gateways.userRouting();
        String jwtPath = opts.value("jwt-path").orElse(userRouting ? "/echo" : JwtRoute.DEFAULT_PATH);
        if (!jwtPath.startsWith("/")) {
            throw new UsageException("--jwt-path must start with '/', got '" + jwtPath + "'");
        }
        if (!userRouting && jwtPath.equals("/echo")) {
            throw new UsageException("--jwt-path /echo: the plain route has no JWT policy; pick another path (default "
                    + JwtRoute.DEFAULT_PATH + ")");
        }
        return new RunOptions(settings, nginx, Collections.unmodifiableMap(peers), Collections.unmodifiableMap(peerPids),
                gateways, List.copyOf(notes), jwtSecret, jwtPath, opts.value("jwt-path").isPresent());
    }

    /** @return the demo gateway jar of this checkout, found from the working directory or from the bench jar */
    static Path defaultDemoJar() {
        Path rel = Path.of("wsgate-examples", "target", "wsgate-demo.jar");
        if (Files.isRegularFile(rel)) {
            return rel.toAbsolutePath();
        }
        try {
            Path self = Path.of(RunOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
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
}
