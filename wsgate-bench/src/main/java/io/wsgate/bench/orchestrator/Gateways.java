package io.wsgate.bench.orchestrator;

import io.wsgate.bench.Args;
import io.wsgate.bench.UsageException;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The demo gateway targets of {@code run} and {@code storm}: the jar, the arguments every gateway gets
 * ({@code --wsgate-jvm-arg}, {@code --wsgate-arg}, {@code --wsgate-access-log}), and the gateways themselves:
 * {@code wsgate} (unless {@code --no-wsgate}) and each {@code --variant NAME=ARGS}. Builds each one's command
 * line and starts it.
 *
 * <p>A gateway's command line, in this order: the pinning, {@code java}, the heap ({@link #heap}), the
 * access log off ({@value #ACCESS_LOG_OFF}) unless {@code --wsgate-access-log}, the {@code --wsgate-jvm-arg}s,
 * the variant's JVM arguments, {@code -jar JAR --port 0}, the routing the command adds, the
 * {@code --wsgate-arg}s, the variant's demo arguments. A JVM takes the last of a repeated {@code -D} or
 * {@code -XX}, the demo the last of a repeated option: a variant's arguments override the common ones.
 *
 * @param jar       the demo gateway jar; empty when there is no gateway to start
 * @param variants  the gateways, {@code wsgate} first when it runs
 * @param jvmArgs   JVM arguments of every gateway
 * @param demoArgs  demo arguments of every gateway, {@code {backend}} not yet replaced
 * @param accessLog whether the access log stays on
 */
record Gateways(Optional<Path> jar, List<Variant> variants, List<String> jvmArgs, List<String> demoArgs,
                boolean accessLog) {

    /** The name of the gateway started with the common arguments only. */
    static final String DEFAULT_NAME = "wsgate";
    /** The JVM argument that turns the demo's access log ({@code wsgate.access}, slf4j-simple) off. */
    static final String ACCESS_LOG_OFF = "-Dorg.slf4j.simpleLogger.log.wsgate.access=warn";
    /** The demo's line once it listens: group 1 the host, group 2 the port. */
    static final Pattern LISTENING = Pattern.compile("wsgate listening on ws://(\\S+?):(\\d+)");

    private static final String ACCESS_LOG_PROPERTY = "-Dorg.slf4j.simpleLogger.log.wsgate.access=";

    /**
     * One gateway: a name, and its arguments on top of the common ones.
     *
     * @param name     its name in the tables
     * @param jvmArgs  its extra JVM arguments (before {@code -jar})
     * @param demoArgs its extra demo arguments (after the jar)
     */
    record Variant(String name, List<String> jvmArgs, List<String> demoArgs) {

        /** Checks the fields and copies the lists. */
        Variant {
            Objects.requireNonNull(name, "name");
            jvmArgs = List.copyOf(jvmArgs);
            demoArgs = List.copyOf(demoArgs);
        }

        /**
         * Parses {@code NAME=ARGS}: ARGS split at white space (no quoting); a token with one leading dash
         * ({@code -Xmx64m}, {@code -XX:...}, {@code -D...}) goes to the JVM, any other ({@code --connector},
         * {@code dedicated}) to the demo.
         *
         * @param spec the option's value
         * @return the variant
         * @throws UsageException when there is no name, or the arguments declare the routing
         */
        static Variant parse(String spec) {
            int eq = spec.indexOf('=');
            if (eq < 1) {
                throw new UsageException("--variant needs NAME=ARGS, got '" + spec + "'");
            }
            String name = spec.substring(0, eq);
            List<String> jvm = new ArrayList<>();
            List<String> demo = new ArrayList<>();
            for (String token : spec.substring(eq + 1).trim().split("\\s+")) {
                if (token.isEmpty()) {
                    continue;
                }
                (token.length() > 1 && token.charAt(0) == '-' && token.charAt(1) != '-' ? jvm : demo).add(token);
            }
            if (routing(demo)) {
                throw new UsageException("--variant " + name + ": --route and --config are given with --wsgate-arg, "
                        + "for every gateway (the run has one JWT route)");
            }
            return new Variant(name, jvm, demo);
        }
    }

    /** Checks the fields and copies the lists. */
    Gateways {
        Objects.requireNonNull(jar, "jar");
        variants = List.copyOf(variants);
        jvmArgs = List.copyOf(jvmArgs);
        demoArgs = List.copyOf(demoArgs);
    }

    /**
     * @param opts           the command's options
     * @param reserved       names other targets have ({@code direct}, the nginx ones)
     * @param skipMissingJar whether a missing default jar skips {@code wsgate} with a note (when it is the only
     *                       gateway) instead of failing
     * @param notes          where that note goes
     * @return the gateways to start
     * @throws UsageException on a bad or repeated variant name, or a jar that is missing
     */
    static Gateways from(Args opts, Set<String> reserved, boolean skipMissingJar, List<String> notes) {
        List<Variant> variants = new ArrayList<>();
        if (!opts.flag("no-wsgate")) {
            variants.add(new Variant(DEFAULT_NAME, List.of(), List.of()));
        }
        Set<String> taken = new HashSet<>(reserved);
        taken.add(DEFAULT_NAME);
        for (String spec : opts.values("variant")) {
            Variant v = Variant.parse(spec);
            if (!taken.add(v.name())) {
                throw new UsageException("--variant: the name '" + v.name() + "' is taken");
            }
            variants.add(v);
        }
        Optional<Path> jar = Optional.empty();
        if (!variants.isEmpty()) {
            Path path = opts.value("wsgate-jar").map(Path::of).orElseGet(RunOptions::defaultDemoJar);
            if (Files.isRegularFile(path)) {
                jar = Optional.of(path);
            } else if (opts.value("wsgate-jar").isPresent()) {
                throw new UsageException("--wsgate-jar " + path + ": no such file");
            } else if (skipMissingJar && variants.size() == 1 && variants.get(0).name().equals(DEFAULT_NAME)) {
                String note = "wsgate skipped: the demo gateway " + path + " does not exist yet "
                        + "(build it with: mvn -B -o package -DskipTests -pl wsgate-examples -am)";
                notes.add(note);
                System.err.println(note);
                variants.clear();
            } else {
                throw new UsageException("no demo gateway at " + path + " (build it: mvn -B -o package -DskipTests "
                        + "-pl wsgate-examples,wsgate-bench -am; or give --wsgate-jar, or --no-wsgate without --variant)");
            }
        }
        return new Gateways(jar, variants, opts.values("wsgate-jvm-arg"), opts.values("wsgate-arg"),
                opts.flag("wsgate-access-log"));
    }

    /**
     * @return whether the common demo arguments declare the routing themselves ({@code --config} or
     *         {@code --route}); otherwise the command adds its own
     */
    boolean userRouting() {
        return routing(demoArgs);
    }

    /** @return whether the common demo arguments name a gateway file of their own */
    boolean userConfig() {
        return demoArgs.stream().anyMatch(a -> a.equals("--config") || a.startsWith("--config="));
    }

    /**
     * @param v          the gateway
     * @param serverPin  the pinning command ({@code taskset -c N}), or none
     * @param javaBin    the {@code java} to run
     * @param preTouch   whether the heap is made resident at start ({@code -XX:+AlwaysPreTouch})
     * @param routing    the demo arguments that route {@code /echo} (and the JWT route), before the others
     * @param backendUrl the echo backend's {@code ws://HOST:PORT}, for {@code {backend}} in the demo arguments
     * @return its command line
     */
    List<String> command(Variant v, List<String> serverPin, String javaBin, boolean preTouch, List<String> routing,
                         String backendUrl) {
        List<String> extraJvm = new ArrayList<>(jvmArgs);
        extraJvm.addAll(v.jvmArgs());
        List<String> cmd = new ArrayList<>(serverPin);
        cmd.add(javaBin);
        cmd.addAll(heap(extraJvm, preTouch));
        if (!accessLog) {
            // nginx runs with access_log off: the gateway's one line per pair goes off too
            cmd.add(ACCESS_LOG_OFF);
        }
        cmd.addAll(extraJvm);
        cmd.addAll(List.of("-jar", jar.orElseThrow().toString(), "--port", "0"));
        cmd.addAll(routing);
        for (String a : demoArgs) {
            cmd.add(a.replace("{backend}", backendUrl));
        }
        for (String a : v.demoArgs()) {
            cmd.add(a.replace("{backend}", backendUrl));
        }
        return cmd;
    }

    /**
     * @param v the gateway
     * @return whether its access log is on, as its command line leaves it: the last
     *         {@code -Dorg.slf4j.simpleLogger.log.wsgate.access=} wins; none leaves the demo's INFO
     */
    boolean accessLogOn(Variant v) {
        List<String> all = new ArrayList<>();
        if (!accessLog) {
            all.add(ACCESS_LOG_OFF);
        }
        all.addAll(jvmArgs);
        all.addAll(v.jvmArgs());
        String level = "info";
        for (String a : all) {
            if (a.startsWith(ACCESS_LOG_PROPERTY)) {
                level = a.substring(ACCESS_LOG_PROPERTY.length()).toLowerCase(java.util.Locale.ROOT);
            }
        }
        return level.equals("info") || level.equals("debug") || level.equals("trace");
    }

    /**
     * A fixed heap, 1 GiB unless the extra JVM arguments size it: with only {@code -Xmx} (or only {@code -Xms})
     * among them, the other is set to the same, so the heap stays fixed (and, pre-touched, resident); with both,
     * nothing is added.
     *
     * @param extraJvm the gateway's extra JVM arguments
     * @param preTouch whether to add {@code -XX:+AlwaysPreTouch}
     * @return the heap arguments, before the extra ones
     */
    static List<String> heap(List<String> extraJvm, boolean preTouch) {
        String xmx = null;
        String xms = null;
        for (String a : extraJvm) {
            if (a.startsWith("-Xmx")) {
                xmx = a.substring(4);
            } else if (a.startsWith("-Xms")) {
                xms = a.substring(4);
            }
        }
        List<String> heap = new ArrayList<>();
        if (xms == null) {
            heap.add("-Xms" + (xmx == null ? "1g" : xmx));
        }
        if (xmx == null) {
            heap.add("-Xmx" + (xms == null ? "1g" : xms));
        }
        if (preTouch) {
            heap.add("-XX:+AlwaysPreTouch");
        }
        return heap;
    }

    /**
     * Starts a gateway and waits for its listening line (60 s).
     *
     * @param name    its name (and its log's, in the work directory)
     * @param command its command line
     * @param workDir the work directory
     * @return the started process and its listening line
     * @throws java.io.IOException when it does not start
     */
    static Launched.Started start(String name, List<String> command, Path workDir) throws java.io.IOException {
        return Launched.start(name, command, workDir, LISTENING, Duration.ofSeconds(60));
    }

    /**
     * @param started a gateway, listening
     * @return its {@code ws://HOST:PORT}, a wildcard or {@code localhost} host as 127.0.0.1
     */
    static URI base(Launched.Started started) {
        String host = started.ready().group(1);
        if (host.equals("0.0.0.0") || host.equals("[::]") || host.equals("localhost")) {
            host = "127.0.0.1";
        }
        return URI.create("ws://" + host + ":" + started.ready().group(2));
    }

    private static boolean routing(List<String> demoArgs) {
        return demoArgs.stream().anyMatch(a -> a.equals("--config") || a.startsWith("--config=")
                || a.equals("--route") || a.startsWith("--route="));
    }
}
