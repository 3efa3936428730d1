package io.wsgate.bench.orchestrator;

import io.wsgate.bench.driver.BenchConnection;
import io.wsgate.bench.driver.Clients;
import io.wsgate.bench.driver.ConcurrencyResult;
import io.wsgate.bench.driver.LoadRuns;
import io.wsgate.bench.driver.LoadTarget;
import io.wsgate.bench.driver.RunResult;
import io.wsgate.bench.driver.Window;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static io.wsgate.bench.orchestrator.Orchestrator.perThousand;
import static io.wsgate.bench.orchestrator.Orchestrator.progress;

/**
 * The run loop over modes and rounds: checks that every target echoes, primes the JVM targets, runs every
 * timed mode on every target once per round (the order of targets rotating each round, so that drift on a
 * shared machine hits all of them alike), then holds the concurrency mode's pairs on each target.
 */
final class Rounds {

    /** The share of a JVM target's CPU its JIT compilers may use in a prime run for it to count as compiled. */
    static final double JIT_SETTLED = 0.05;

    /** A line of a target's output that says it ran out of memory (heap, direct buffers, threads, metaspace). */
    private static final Pattern OUT_OF_MEMORY = Pattern.compile("OutOfMemoryError");
    /** Such a line with its kind ({@code OutOfMemoryError: Java heap space}). */
    private static final Pattern OUT_OF_MEMORY_KIND = Pattern.compile("OutOfMemoryError: ");

    /** One timed run on one target, with the CPU the processes spent in its window. */
    record Measured(RunResult result, double proxyCpuMs, double jitCpuMs, double backendCpuMs, double driverCpuMs) {
    }

    /**
     * What a run measured.
     *
     * @param measured  per timed mode and target name, one entry per round
     * @param held      per target name, the concurrency mode
     * @param primedFor per target name and mode, how long it was primed
     */
    record Results(Map<Mode, Map<String, List<Measured>>> measured, Map<String, Held> held,
                   Map<String, Map<Mode, Duration>> primedFor) {
    }

    private Rounds() {
    }

    /**
     * @param s          the modes, timing and load
     * @param targets    what to measure, all listening
     * @param token      the driver's valid token (handshake-jwt)
     * @param backendPid the echo backend's process, for its CPU and memory
     * @return the figures, for the report
     * @throws Exception when a target does not echo or a run fails
     */
    static Results run(Settings s, List<Target> targets, String token, long backendPid) throws Exception {
        Map<Mode, Map<String, List<Measured>>> results = new LinkedHashMap<>();
        Map<String, Held> held = new LinkedHashMap<>();
        Map<String, Map<Mode, Duration>> primedFor = new LinkedHashMap<>();
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
                    progress(String.format(Locale.ROOT, "concurrency %-14s %d/%d echoed, %s, proxy RSS %s KiB/pair, heap %s KiB/pair",
                            t.name(), h.result().verified(), h.result().requested(), h.status(),
                            Table.num(h.rssPerPair(), 1), Table.num(h.heapPerPair(), 1)));
                }
            }
        }
        return new Results(results, held, primedFor);
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

    /**
     * Holds the pairs on one target and measures its memory before and while they are held. A target that fails
     * (out of memory, refusing, gone) is reported as such; the run goes on with the next.
     */
    private static Held hold(Clients clients, Target t, Settings s, String token, long backendPid) throws Exception {
        progress("concurrency " + t.name() + ": opening " + s.pairs() + " pairs over " + s.sourceAddresses() + " source addresses");
        Optional<DirectBuffers> direct = t.jvmPid().flatMap(DirectBuffers::attach);
        try {
            Held.Memory before = memory(t, direct);
            long backendRss0 = ProcStat.rssKiB(backendPid);
            Held.Memory[] held = {Held.Memory.UNKNOWN};
            long[] backendRss = new long[1];
            ConcurrencyResult r = LoadRuns.concurrency(clients, load(t, s, false, token), s.pairs(), 64, () -> {
                held[0] = memory(t, direct);
                backendRss[0] = ProcStat.rssKiB(backendPid);
            });
            boolean alive = t.process().map(Launched::isAlive).orElse(true);
            Optional<String> oom = t.process().flatMap(p -> p.firstLine(OUT_OF_MEMORY_KIND).or(() -> p.firstLine(OUT_OF_MEMORY)));
            // let the closes settle before the next target
            Thread.sleep(500);
            return new Held(r, before, held[0], r.verified() == 0 ? Double.NaN : (backendRss[0] - backendRss0) / (double) r.verified(),
                    Held.status(r, alive, oom));
        } finally {
            direct.ifPresent(DirectBuffers::close);
        }
    }

    /** The target's memory now: a JVM's after a full GC. */
    private static Held.Memory memory(Target t, Optional<DirectBuffers> direct) {
        t.jvmPid().ifPresent(Jcmd::gc);
        List<Long> pids = t.pids().get();
        boolean known = !pids.isEmpty() && t.process().map(Launched::isAlive).orElse(true);
        return new Held.Memory(known ? ProcStat.rssKiB(pids) : Double.NaN,
                t.jvmPid().map(Jcmd::heapUsedKiB).orElse(Double.NaN),
                direct.map(DirectBuffers::usedKiB).orElse(Double.NaN),
                known ? ProcStat.threads(pids) : -1);
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
}
