package io.wsgate.examples;

import io.wsgate.api.ApiLimits;
import io.wsgate.core.DrainOptions;
import io.wsgate.core.Durations;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The demo gateway's command line.
 *
 * @param host             the address to listen on
 * @param port             the port, 0 for any free one
 * @param routes           URL suffix to backend URL, in order; empty for the embedded echo backend on /echo
 * @param maxMessageSize   the largest message, bytes
 * @param handshakeTimeout how long a backend may take to answer the handshake
 * @param idleTimeout      how long a pair may be idle
 * @param help             true when --help was asked
 * @param config           the gateway file whose APIs the gateway serves; "" for none (then routes or the echo backend)
 * @param drainTimeout     how long the pairs may take to leave after the drain closed them (SIGTERM); then they are aborted
 * @param drainWindow      how long the drain's closes are spread over; zero closes every pair at once
 * @param adminPort        the admin endpoint's port on 127.0.0.1 (0 for any free one), -1 for no admin endpoint
 * @param console          true to serve the test console at {@code /console/} on the gateway's port
 * @param tlsKeystore      the PKCS12 key store to serve {@code wss://} (and HTTP/2) with; "" for plain {@code ws://}
 * @param tlsPasswordEnv   the environment variable holding the key store's password; "" without TLS
 * @param acceptQueue      the listen backlog of the gateway's port: connections the kernel queues until the gateway
 *                         accepts them (capped by {@code /proc/sys/net/core/somaxconn})
 * @param warmUp           handshakes through a throw-away gateway before listening (to compile the path); 0 for none
 * @param connector        how the gateway is served on its port: Jetty's HTTP connection and the Handler, or the
 *                         dedicated connector ({@code WsGateConnectionFactory})
 * @param threads          the most threads of the gateway's pool (selectors, relays and handshakes share it)
 */
public record DemoOptions(String host, int port, Map<String, URI> routes, long maxMessageSize,
                          Duration handshakeTimeout, Duration idleTimeout, boolean help, String config,
                          Duration drainTimeout, Duration drainWindow, int adminPort, boolean console,
                          String tlsKeystore, String tlsPasswordEnv, int acceptQueue, int warmUp,
                          Connector connector, int threads) {

    /**
     * The demo's accept queue (listen backlog) unless {@code --accept-queue} says otherwise. The JDK's default of 50
     * overflows when a thousand clients reconnect at once: the kernel drops their SYNs and the clients retry after
     * 1, 3, 7, 15 s (see wsgate-bench's {@code storm} mode in its README).
     */
    public static final int DEFAULT_ACCEPT_QUEUE = 4096;

    /** The most threads of the gateway's pool unless {@code --threads} says otherwise (Jetty's default). */
    public static final int DEFAULT_THREADS = 200;

    /** How the gateway is served on its port ({@code --connector}). */
    public enum Connector {
        /** Jetty's HTTP connection and {@code WsGateHandler} (HTTP/2 too, with TLS; the console); the default with the console. */
        HANDLER,
        /** {@code WsGateConnectionFactory}: the gateway reads the upgrade and writes the 101 itself; HTTP/1.1 only; the default. */
        DEDICATED
    }

    /** The usage text. */
    public static final String USAGE = """
            Usage: java -jar wsgate-demo.jar [options]

            Starts a wsgate gateway. Without --route or --config, also starts an embedded echo backend and routes
            /echo to it.

            Options:
              --host HOST                   address to listen on (default 127.0.0.1)
              --port N                      port to listen on; 0 picks a free port (default 8080)
              --route SUFFIX=BACKEND_URL    route a URL suffix to a ws:// or wss:// backend; repeatable
              --config FILE                 serve the gateway declared in a YAML file (docs/configuration.md):
                                            its APIs, products, policies and limits; excludes --route and the
                                            limit options below
              --max-message-size BYTES      largest message, counted across fragments (default 1048576)
              --handshake-timeout DURATION  backend handshake timeout, e.g. 10s (default 10s)
              --idle-timeout DURATION       close a pair idle this long, e.g. 5m (default 5m)
              --drain-timeout DURATION      on SIGTERM, how long the pairs may take to leave after the gateway
                                            closed them with 1001; those left are aborted (default 30s)
              --drain-window DURATION       on SIGTERM, spread the closes over this long, e.g. 30s (default 0:
                                            all at once); with --config, the file's gateway.drain says both
              --admin-port N                serve the admin endpoint (GET /health, /metrics, /pairs; POST /reload)
                                            on 127.0.0.1:N (0 picks a free port), and record metrics for it
              --console                     serve the test console (pick an API, connect, send, diagnose a
                                            refusal) at /console/ on the gateway's port; for development only:
                                            it lists the APIs
              --tls-keystore FILE           serve wss:// (and https:// for the console) with the key and
                                            certificate of this PKCS12 file; with --connector handler, HTTP/2 is
                                            offered through ALPN, so browsers may open WebSockets over HTTP/2
                                            (RFC 8441)
              --tls-password-env VAR        the environment variable that holds the key store's password (it is
                                            never given on the command line); required with --tls-keystore
              --accept-queue N              listen backlog of the gateway's port: connections the kernel holds
                                            until the gateway accepts them, for reconnect storms; capped by
                                            /proc/sys/net/core/somaxconn (default 4096)
              --warm-up N                   before listening, run N handshakes (each with one echo) through a
                                            throw-away gateway on loopback, so that the first clients meet
                                            compiled code (default 0: none)
              --threads N                   the most threads of the gateway's pool (default 200); nothing in the
                                            gateway blocks a thread, so a few per core serve it; fewer threads
                                            take less memory in a connect burst
              --connector handler|dedicated how the port serves the gateway: dedicated (the default without
                                            --console), the gateway's own connection factory, which reads the
                                            upgrade and writes the 101 itself (HTTP/1.1 only, faster); or
                                            handler (the default with --console), Jetty's HTTP connection and
                                            the gateway's Handler, HTTP/2 with TLS and the console too
              --help                        print this text
            Durations: 500ms, 30s, 5m, 2h, 1d or ISO-8601 (PT30S).
            """;

    /** Copies the routes. */
    public DemoOptions {
        Objects.requireNonNull(host, "host");
        routes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(routes));
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(drainWindow, "drainWindow");
        Objects.requireNonNull(tlsKeystore, "tlsKeystore");
        Objects.requireNonNull(tlsPasswordEnv, "tlsPasswordEnv");
        if (warmUp < 0) {
            throw new IllegalArgumentException("warmUp must be at least 0, got " + warmUp);
        }
        if (acceptQueue < 1) {
            throw new IllegalArgumentException("acceptQueue must be at least 1, got " + acceptQueue);
        }
        if (threads < 8) {
            throw new IllegalArgumentException("threads must be at least 8, got " + threads);
        }
    }

    /** @return the key store to serve TLS with, when --tls-keystore was given */
    public Optional<Path> tls() {
        return tlsKeystore.isEmpty() ? Optional.empty() : Optional.of(Path.of(tlsKeystore));
    }

    /**
     * @param env reads an environment variable (System::getenv), null when unset
     * @return the key store's password, from the variable --tls-password-env names
     * @throws UsageException when that variable is not set or empty
     */
    public String tlsPassword(java.util.function.UnaryOperator<String> env) throws UsageException {
        String password = env.apply(tlsPasswordEnv);
        if (password == null || password.isEmpty()) {
            throw new UsageException("--tls-password-env: environment variable '" + tlsPasswordEnv + "' is not set");
        }
        return password;
    }

    /** @return how the demo drains on SIGTERM, from --drain-timeout and --drain-window */
    public DrainOptions drain() {
        return DrainOptions.ofDefaults().withTimeout(drainTimeout).withWindow(drainWindow);
    }

    /** @return the gateway file, when --config was given */
    public Optional<Path> configFile() {
        return config.isEmpty() ? Optional.empty() : Optional.of(Path.of(config));
    }

    /** @return the admin endpoint's port, when --admin-port was given */
    public java.util.OptionalInt admin() {
        return adminPort < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(adminPort);
    }

    /** A command line that cannot be understood; its message is one line for the user. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * @param args the command line
     * @return the options
     * @throws UsageException naming the bad option or value
     */
    public static DemoOptions parse(String... args) throws UsageException {
        String host = "127.0.0.1";
        int port = 8080;
        Map<String, URI> routes = new LinkedHashMap<>();
        ApiLimits defaults = ApiLimits.ofDefaults();
        long maxMessageSize = defaults.maxMessageSize();
        Duration handshakeTimeout = defaults.handshakeTimeout();
        Duration idleTimeout = defaults.idleTimeout();
        boolean help = false;
        String config = "";
        String limitOption = "";
        Duration drainTimeout = DrainOptions.DEFAULT_TIMEOUT;
        Duration drainWindow = Duration.ZERO;
        int adminPort = -1;
        boolean console = false;
        String tlsKeystore = "";
        String tlsPasswordEnv = "";
        int acceptQueue = DEFAULT_ACCEPT_QUEUE;
        int warmUp = 0;
        int threads = DEFAULT_THREADS;
        Connector connector = null;
        List<String> list = new ArrayList<>(List.of(args));
        for (int i = 0; i < list.size(); i++) {
            String arg = list.get(i);
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "--help", "-h" -> help = true;
                case "--host" -> host = value != null ? value : next(list, ++i, name);
                case "--port" -> port = port(name, value != null ? value : next(list, ++i, name));
                case "--admin-port" -> adminPort = port(name, value != null ? value : next(list, ++i, name));
                case "--console" -> console = true;
                case "--warm-up" -> warmUp = atLeast(name, value != null ? value : next(list, ++i, name), 0);
                case "--threads" -> threads = atLeast(name, value != null ? value : next(list, ++i, name), 8);
                case "--accept-queue" -> acceptQueue = atLeast(name, value != null ? value : next(list, ++i, name), 1);
                case "--connector" -> connector = connector(value != null ? value : next(list, ++i, name));
                case "--tls-keystore" -> tlsKeystore = nonBlank(name, value != null ? value : next(list, ++i, name));
                case "--tls-password-env" -> tlsPasswordEnv = nonBlank(name, value != null ? value : next(list, ++i, name));
                case "--route" -> {
                    String route = value != null ? value : next(list, ++i, name);
                    int at = route.indexOf('=');
                    if (at < 0) {
                        throw new UsageException("--route needs SUFFIX=BACKEND_URL, got '" + route + "'");
                    }
                    String suffix = route.substring(0, at);
                    URI backend = backendUrl(route.substring(at + 1));
                    if (routes.putIfAbsent(suffix, backend) != null) {
                        throw new UsageException("--route: suffix '" + suffix + "' is given twice");
                    }
                }
                case "--config" -> {
                    config = value != null ? value : next(list, ++i, name);
                    if (config.isBlank()) {
                        throw new UsageException("--config needs a file");
                    }
                }
                case "--max-message-size" -> {
                    maxMessageSize = bytes(value != null ? value : next(list, ++i, name));
                    limitOption = name;
                }
                case "--handshake-timeout" -> {
                    handshakeTimeout = duration(name, value != null ? value : next(list, ++i, name));
                    limitOption = name;
                }
                case "--idle-timeout" -> {
                    idleTimeout = duration(name, value != null ? value : next(list, ++i, name));
                    limitOption = name;
                }
                case "--drain-timeout" -> {
                    drainTimeout = duration(name, value != null ? value : next(list, ++i, name));
                    limitOption = name;
                }
                case "--drain-window" -> {
                    String w = value != null ? value : next(list, ++i, name);
                    drainWindow = window(name, w);
                    limitOption = name;
                }
                default -> throw new UsageException("unknown option '" + arg + "' (see --help)");
            }
        }
        if (!config.isEmpty() && !routes.isEmpty()) {
            throw new UsageException("--config and --route exclude each other: declare the APIs in the file");
        }
        if (!config.isEmpty() && !limitOption.isEmpty()) {
            throw new UsageException("--config and " + limitOption + " exclude each other: set "
                    + (limitOption.startsWith("--drain") ? "gateway.drain" : "limits") + " in the file");
        }
        if (tlsKeystore.isEmpty() != tlsPasswordEnv.isEmpty()) {
            throw new UsageException(tlsKeystore.isEmpty() ? "--tls-password-env needs --tls-keystore FILE"
                    : "--tls-keystore needs --tls-password-env VAR (the password is never given on the command line)");
        }
        if (console && connector == Connector.DEDICATED) {
            throw new UsageException("--console needs --connector handler: the dedicated connector serves WebSockets only");
        }
        if (connector == null) {
            // the dedicated connector unless the console needs the Handler: it takes handshakes faster, and a cold
            // gateway through a reconnect storm sooner (wsgate-bench; see the README's Performance)
            connector = console ? Connector.HANDLER : Connector.DEDICATED;
        }
        return new DemoOptions(host, port, routes, maxMessageSize, handshakeTimeout, idleTimeout, help, config,
                drainTimeout, drainWindow, adminPort, console, tlsKeystore, tlsPasswordEnv, acceptQueue, warmUp,
                connector, threads);
    }

    /** @return the API limits these options ask for */
    public ApiLimits limits() {
        return ApiLimits.ofDefaults().withMaxMessageSize(maxMessageSize).withHandshakeTimeout(handshakeTimeout)
                .withIdleTimeout(idleTimeout);
    }

    private static String next(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
    }

    private static Connector connector(String s) throws UsageException {
        return switch (s) {
            case "handler" -> Connector.HANDLER;
            case "dedicated" -> Connector.DEDICATED;
            default -> throw new UsageException("--connector must be handler or dedicated, got '" + s + "'");
        };
    }

    private static String nonBlank(String option, String s) throws UsageException {
        if (s.isBlank()) {
            throw new UsageException(option + " needs a value");
        }
        return s;
    }

    private static int port(String option, String s) throws UsageException {
        try {
            int p = Integer.parseInt(s);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be 0 to 65535, got '" + s + "'");
        }
    }

    private static int atLeast(String option, String s, int min) throws UsageException {
        try {
            int n = Integer.parseInt(s);
            if (n < min) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a number from " + min + ", got '" + s + "'");
        }
    }

    private static long bytes(String s) throws UsageException {
        try {
            long n = Long.parseLong(s);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--max-message-size must be a positive number of bytes, got '" + s + "'");
        }
    }

    private static Duration duration(String option, String s) throws UsageException {
        try {
            Duration d = Durations.parse(s);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException();
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + " must be a positive duration like 10s or 5m, got '" + s + "'");
        }
    }

    private static Duration window(String option, String s) throws UsageException {
        try {
            Duration d = s.trim().equals("0") ? Duration.ZERO : Durations.parse(s);
            if (d.isNegative()) {
                throw new IllegalArgumentException();
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + " must be 0 or a duration like 30s, got '" + s + "'");
        }
    }

    private static URI backendUrl(String s) throws UsageException {
        try {
            URI uri = new URI(s);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme();
            if (!scheme.equals("ws") && !scheme.equals("wss") || uri.getHost() == null) {
                throw new UsageException("--route: backend URL must be ws://HOST:PORT/... or wss://..., got '" + s + "'");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new UsageException("--route: '" + s + "' is not a URL");
        }
    }
}
