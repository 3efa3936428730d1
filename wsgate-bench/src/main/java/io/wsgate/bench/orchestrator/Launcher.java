package io.wsgate.bench.orchestrator;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static io.wsgate.bench.orchestrator.Orchestrator.progress;

/**
 * Starts what a run measures, each in its own process pinned to the server core: the echo backend, the
 * gateways (the demo jar, {@code -Xms1g -Xmx1g} unless sized otherwise: {@code wsgate} and each variant,
 * {@link Gateways}) and nginx when asked; takes the peers by URL; pins the driver (this
 * JVM) to its core. Stops every process it started at the end of the run, or when the JVM exits first.
 */
final class Launcher {

    /**
     * What a run measures, started.
     *
     * @param targets    direct, the gateways (wsgate, then the variants), the nginx variants and the peers, in that
     *                   order
     * @param backendPid the echo backend's process
     * @param notes      the options' notes and what starting added (how wsgate checks tokens)
     * @param notStarted the variants that did not start, with why
     */
    record Started(List<Target> targets, long backendPid, List<String> notes, Map<String, String> notStarted) {
    }

    private final Path workDir;
    private final List<Launched> launched = Collections.synchronizedList(new ArrayList<>());
    private final Thread cleanup = new Thread(this::closeAll, "bench-cleanup");

    /**
     * Makes the work directory (logs, generated configurations) and registers the shutdown hook that stops
     * whatever is started, should the run fail or be interrupted.
     *
     * @throws IOException when the work directory cannot be made
     */
    Launcher() throws IOException {
        this.workDir = Files.createTempDirectory("wsgate-bench-");
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /**
     * @param o the run's options
     * @return the targets, every one listening
     * @throws Exception when a process does not start, or wsgate does not validate tokens on its JWT route
     */
    Started start(RunOptions o) throws Exception {
        Settings s = o.settings();
        List<String> notes = new ArrayList<>(o.notes());
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
        targets.add(new Target("direct", Target.Kind.DIRECT, direct, direct, List::of, Optional.empty(), Optional.empty()));
        Map<String, String> notStarted = new LinkedHashMap<>();
        o.gateways().variants().forEach(v -> notes.add(describe(o.gateways(), v)));
        for (Gateways.Variant v : o.gateways().variants()) {
            try {
                targets.add(startGateway(o, v, serverPin, javaBin, backendUrl, notes));
            } catch (IOException e) {
                if (v.name().equals(Gateways.DEFAULT_NAME)) {
                    throw e;
                }
                // a variant may be meant to fail (a heap too small): reported, the others measured
                String first = e.getMessage().lines().findFirst().orElse("");
                int open = first.indexOf("did not start (");
                int close = first.indexOf("). Command: ");
                String why = (open >= 0 && close > open ? first.substring(open + "did not start (".length(), close) : first)
                        + "; its log: " + workDir.resolve(v.name() + ".log") + lastLine(e.getMessage());
                notStarted.put(v.name(), why);
                progress("variant " + v.name() + " did not start: " + why);
            }
        }
        if (o.nginx().isPresent()) {
            for (Map.Entry<String, Optional<String>> variant : List.of(
                    Map.entry("nginx-default", Optional.<String>empty()), Map.entry("nginx-64k", Optional.of("64k")))) {
                Nginx.Running n = Nginx.start(variant.getKey(), o.nginx().get(), workDir, serverPin, backendPort, variant.getValue());
                launched.add(n.process());
                long master = n.process().pid();
                URI uri = URI.create("ws://127.0.0.1:" + n.port() + "/echo");
                targets.add(new Target(variant.getKey(), Target.Kind.NGINX, uri, uri,
                        () -> ProcStat.withChildren(master), Optional.empty(), Optional.of(n.process())));
                progress(variant.getKey() + " on " + uri + " (master pid " + master + ", proxy_buffer_size "
                        + variant.getValue().orElse("default") + ")");
            }
        }
        for (Map.Entry<String, URI> peer : o.peers().entrySet()) {
            Long pid = o.peerPids().get(peer.getKey());
            targets.add(new Target(peer.getKey(), Target.Kind.PEER, peer.getValue(), peer.getValue(),
                    pid == null ? List::of : () -> ProcStat.withChildren(pid), Optional.empty(), Optional.empty()));
        }
        return new Started(List.copyOf(targets), backendPid, notes, Map.copyOf(notStarted));
    }

    /** Stops every process started, the last first, and removes the shutdown hook. */
    void stop() {
        cleanup.run();
        Runtime.getRuntime().removeShutdownHook(cleanup);
    }

    private Target startGateway(RunOptions o, Gateways.Variant v, List<String> serverPin, String javaBin,
                                String backendUrl, List<String> notes) throws Exception {
        Gateways g = o.gateways();
        // Every gateway is declared in one generated file (the /echo route and a /echo-jwt route with a
        // validate-jwt policy), unless the common arguments declare the routing themselves.
        boolean userRouting = g.userRouting();
        Path gatewayFile = workDir.resolve("wsgate.yaml");
        List<String> routing = List.of();
        if (!userRouting) {
            Files.writeString(gatewayFile, JwtRoute.gatewayFile(backendUrl + "/echo", o.jwtPath(), o.jwtSecret()));
            routing = List.of("--config", gatewayFile.toString());
        } else if (!g.userConfig()) {
            routing = List.of("--route", "/echo=" + backendUrl + "/echo");
        }
        // The whole heap resident from the start: the RSS growth of the concurrency mode is then the
        // memory outside the heap, whatever earlier modes touched, and the heap per pair is counted apart.
        List<String> cmd = g.command(v, serverPin, javaBin, true, routing, backendUrl);
        Launched.Started gw = Gateways.start(v.name(), cmd, workDir);
        launched.add(gw.process());
        URI base = Gateways.base(gw);
        long pid = gw.process().pid();
        URI jwtUri = URI.create(base + o.jwtPath());
        Target gateway = new Target(v.name(), Target.Kind.WSGATE, URI.create(base + "/echo"),
                jwtUri, () -> List.of(pid), Optional.of(pid), Optional.of(gw.process()));
        progress(v.name() + " on " + base + " (pid " + pid + ", " + g.jar().orElseThrow()
                + (userRouting ? ", routes from --wsgate-arg" : ", gateway file " + gatewayFile) + "): "
                + String.join(" ", cmd));
        String note;
        if (userRouting && !o.jwtPathGiven()) {
            note = "handshake-jwt: the driver sends a Bearer token; wsgate validates it only on a route with a JWT "
                    + "policy, given with --jwt-path; without one, the token is only carried";
        } else {
            // A JWT mode that does not validate would measure the wrong thing: refuse to run unless
            // the gateway answers 401 to tokens it must refuse, before any load.
            JwtRoute.verifyRefused(jwtUri, o.jwtSecret());
            progress(v.name() + " " + o.jwtPath() + ": a valid token gets 101; a missing, badly signed, wrong-issuer and "
                    + "wrong-audience token get 401");
            note = "handshake-jwt: every gateway validates the token on " + o.jwtPath() + " (validate-jwt, HS256, issuer "
                    + JwtRoute.ISSUER + ", audience " + JwtRoute.AUDIENCE + "; checked at start: bad tokens get 401); direct and "
                    + "nginx only carry it, unvalidated";
        }
        if (!notes.contains(note)) {
            notes.add(note);
        }
        return gateway;
    }

    /** @return the last line of a failed start's message (the tail of the process's log), after a colon */
    private static String lastLine(String message) {
        List<String> lines = message.lines().filter(l -> !l.isBlank()).toList();
        return lines.size() < 2 ? "" : ": " + lines.get(lines.size() - 1).trim();
    }

    /** @return a note on what a gateway was started with, on top of what every gateway gets, and its access log */
    static String describe(Gateways g, Gateways.Variant v) {
        List<String> extra = new ArrayList<>(g.jvmArgs());
        extra.addAll(v.jvmArgs());
        List<String> demo = new ArrayList<>(g.demoArgs());
        demo.addAll(v.demoArgs());
        return "gateway " + v.name() + ": heap " + String.join(" ", Gateways.heap(extra, true))
                + (extra.isEmpty() ? "" : "; JVM " + String.join(" ", extra))
                + (demo.isEmpty() ? "; demo defaults" : "; demo " + String.join(" ", demo))
                + "; access log (wsgate.access, one line per refused handshake and per ended pair) "
                + (g.accessLogOn(v) ? "on" : "off");
    }

    private void closeAll() {
        List<Launched> copy;
        synchronized (launched) {
            copy = new ArrayList<>(launched);
        }
        Collections.reverse(copy);
        copy.forEach(Launched::close);
    }

    /** Pins every thread of this JVM (the driver) to one core. */
    static void pinSelf(int core) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", Integer.toString(core),
                Long.toString(ProcessHandle.current().pid())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("taskset could not pin the driver to core " + core + " (use --no-pin): " + out.trim());
        }
    }
}
