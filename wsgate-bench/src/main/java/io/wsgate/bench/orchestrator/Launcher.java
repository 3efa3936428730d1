package io.wsgate.bench.orchestrator;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static io.wsgate.bench.orchestrator.Orchestrator.progress;

/**
 * Starts what a run measures, each in its own process pinned to the server core: the echo backend, wsgate
 * (the demo jar, {@code -Xms1g -Xmx1g}) and nginx when asked; takes the peers by URL; pins the driver (this
 * JVM) to its core. Stops every process it started at the end of the run, or when the JVM exits first.
 */
final class Launcher {

    /**
     * What a run measures, started.
     *
     * @param targets    direct, wsgate, the nginx variants and the peers, in that order
     * @param backendPid the echo backend's process
     * @param notes      the options' notes and what starting added (how wsgate checks tokens)
     */
    record Started(List<Target> targets, long backendPid, List<String> notes) {
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
        targets.add(new Target("direct", Target.Kind.DIRECT, direct, direct, List::of, Optional.empty()));
        if (o.wsgateJar().isPresent()) {
            targets.add(startWsgate(o, o.wsgateJar().get(), serverPin, javaBin, backendUrl, notes));
        }
        if (o.nginx().isPresent()) {
            for (Map.Entry<String, Optional<String>> variant : List.of(
                    Map.entry("nginx-default", Optional.<String>empty()), Map.entry("nginx-64k", Optional.of("64k")))) {
                Nginx.Running n = Nginx.start(variant.getKey(), o.nginx().get(), workDir, serverPin, backendPort, variant.getValue());
                launched.add(n.process());
                long master = n.process().pid();
                URI uri = URI.create("ws://127.0.0.1:" + n.port() + "/echo");
                targets.add(new Target(variant.getKey(), Target.Kind.NGINX, uri, uri,
                        () -> ProcStat.withChildren(master), Optional.empty()));
                progress(variant.getKey() + " on " + uri + " (master pid " + master + ", proxy_buffer_size "
                        + variant.getValue().orElse("default") + ")");
            }
        }
        for (Map.Entry<String, URI> peer : o.peers().entrySet()) {
            Long pid = o.peerPids().get(peer.getKey());
            targets.add(new Target(peer.getKey(), Target.Kind.PEER, peer.getValue(),
                    o.peerJwt().getOrDefault(peer.getKey(), peer.getValue()),
                    pid == null ? List::of : () -> ProcStat.withChildren(pid), Optional.empty()));
        }
        return new Started(List.copyOf(targets), backendPid, notes);
    }

    /** Stops every process started, the last first, and removes the shutdown hook. */
    void stop() {
        cleanup.run();
        Runtime.getRuntime().removeShutdownHook(cleanup);
    }

    private Target startWsgate(RunOptions o, Path jar, List<String> serverPin, String javaBin, String backendUrl,
                               List<String> notes) throws Exception {
        List<String> cmd = new ArrayList<>(serverPin);
        cmd.add(javaBin);
        // The whole heap resident from the start: the RSS growth of the concurrency mode is then the
        // memory outside the heap, whatever earlier modes touched, and the heap per pair is counted apart.
        cmd.addAll(List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"));
        if (!o.wsgateAccessLog()) {
            // nginx runs with access_log off: the gateway's one line per pair goes off too
            cmd.add("-Dorg.slf4j.simpleLogger.log.wsgate.access=warn");
        }
        cmd.addAll(o.wsgateJvmArgs());
        cmd.addAll(List.of("-jar", jar.toString(), "--port", "0"));
        // The gateway is declared in a generated file (the /echo route and a /echo-jwt route with a
        // validate-jwt policy), unless the extra arguments declare the routing themselves.
        boolean userRouting = o.userRouting();
        if (!userRouting) {
            Path gatewayFile = workDir.resolve("wsgate.yaml");
            Files.writeString(gatewayFile, JwtRoute.gatewayFile(backendUrl + "/echo", o.jwtPath(), o.jwtSecret()));
            cmd.addAll(List.of("--config", gatewayFile.toString()));
        } else if (!o.userConfig()) {
            cmd.addAll(List.of("--route", "/echo=" + backendUrl + "/echo"));
        }
        for (String a : o.wsgateArgs()) {
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
        URI jwtUri = URI.create(base + o.jwtPath());
        Target wsgate = new Target("wsgate", Target.Kind.WSGATE, URI.create(base + "/echo"),
                jwtUri, () -> List.of(pid), Optional.of(pid));
        progress("wsgate on " + base + " (pid " + pid + ", " + jar
                + (userRouting ? ", routes from --wsgate-arg" : ", gateway file " + workDir.resolve("wsgate.yaml")) + ")");
        if (userRouting && !o.jwtPathGiven()) {
            notes.add("handshake-jwt: the driver sends a Bearer token; wsgate validates it only on a route with a JWT "
                    + "policy, given with --jwt-path; without one, the token is only carried");
        } else {
            // A JWT mode that does not validate would measure the wrong thing: refuse to run unless
            // wsgate answers 401 to tokens it must refuse, before any load.
            JwtRoute.verifyRefused(jwtUri, o.jwtSecret());
            progress("wsgate " + o.jwtPath() + ": a valid token gets 101; a missing, badly signed, wrong-issuer and "
                    + "wrong-audience token get 401");
            notes.add("handshake-jwt: wsgate validates the token on " + o.jwtPath() + " (validate-jwt, HS256, issuer "
                    + JwtRoute.ISSUER + ", audience " + JwtRoute.AUDIENCE + "; checked at start: bad tokens get 401); direct and "
                    + "nginx only carry it, unvalidated");
        }
        return wsgate;
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
