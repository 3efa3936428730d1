package io.wsgate.bench.orchestrator;

import io.wsgate.bench.driver.ConcurrencyResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The concurrency mode on one target: how many pairs it held, its memory before the pairs opened and while they
 * were all held, and whether it failed.
 *
 * @param result       what the driver opened, echoed and found alive
 * @param before       the proxy's memory before the pairs were opened (after a full GC, for a JVM)
 * @param held         its memory while they were all held (likewise)
 * @param backendRssKiB the echo backend's RSS growth per connection
 * @param status       {@code ok}, or what failed ({@link #status})
 */
record Held(ConcurrencyResult result, Memory before, Memory held, double backendRssKiB, String status) {

    /**
     * A proxy's memory at one moment; NaN (or -1 for counts) where it is not known.
     *
     * @param rssKiB    whole-process resident memory (nginx: master + workers), KiB
     * @param heapKiB   a JVM's heap in use after a full GC, KiB
     * @param directKiB a JVM's direct buffers in use, KiB
     * @param threads   live threads (nginx: of all its processes)
     */
    record Memory(double rssKiB, double heapKiB, double directKiB, long threads) {

        /** Nothing known. */
        static final Memory UNKNOWN = new Memory(Double.NaN, Double.NaN, Double.NaN, -1);
    }

    /** Checks the fields. */
    Held {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(held, "held");
        Objects.requireNonNull(status, "status");
    }

    /**
     * @param pairs how many pairs the mode asked for
     * @param why   why the target was not measured
     * @return a target that did not start: nothing held
     */
    static Held notStarted(int pairs, String why) {
        return new Held(new ConcurrencyResult(pairs, 0, 0, 0, 0, 0), Memory.UNKNOWN, Memory.UNKNOWN, Double.NaN, why);
    }

    /** @return whether every pair asked for was opened, echoed and still open at the end, and nothing failed */
    boolean ok() {
        return status.equals("ok");
    }

    /** @return RSS growth per pair echoed, KiB */
    double rssPerPair() {
        return perPair(held.rssKiB() - before.rssKiB());
    }

    /** @return heap growth (after a full GC) per pair echoed, KiB */
    double heapPerPair() {
        return perPair(held.heapKiB() - before.heapKiB());
    }

    /** @return direct buffer growth per pair echoed, KiB */
    double directPerPair() {
        return perPair(held.directKiB() - before.directKiB());
    }

    /** @return how many threads the pairs added; NaN when unknown */
    double threadGrowth() {
        return held.threads() < 0 || before.threads() < 0 ? Double.NaN : held.threads() - before.threads();
    }

    /**
     * Memory per pair: RSS growth, plus the heap growth for a JVM (whose heap is resident from the start, so its
     * RSS growth is what lies outside the heap, direct buffers included).
     *
     * @return KiB per pair echoed
     */
    double memoryPerPair() {
        double heap = heapPerPair();
        return Double.isNaN(heap) ? rssPerPair() : rssPerPair() + Math.max(0, heap);
    }

    private double perPair(double growth) {
        return result.verified() == 0 ? Double.NaN : growth / result.verified();
    }

    /**
     * @param r     what the driver held
     * @param alive whether the proxy's process still runs ({@code true} when it is not known)
     * @param oom   the first line of its output that names an {@code OutOfMemoryError} (with its kind, if one
     *              does), if any
     * @return {@code ok}, or every failure, comma-separated: {@code exited}, {@code OOM (Java heap space)},
     *         {@code N refused} (handshakes or echoes that failed), {@code stopped at N} (the driver stopped
     *         opening: no progress for 30 s, or too many failed), {@code N not echoed}, {@code N closed} (echoed, gone by the end)
     */
    static String status(ConcurrencyResult r, boolean alive, Optional<String> oom) {
        List<String> failures = new ArrayList<>();
        if (!alive) {
            failures.add("exited");
        }
        oom.ifPresent(line -> {
            int at = line.indexOf("OutOfMemoryError: ");
            failures.add(at < 0 ? "OOM" : "OOM (" + line.substring(at + "OutOfMemoryError: ".length()).trim() + ")");
        });
        if (r.failed() > 0) {
            failures.add(r.failed() + " refused");
        }
        if (r.opened() + r.failed() < r.requested()) {
            failures.add("stopped at " + (r.opened() + r.failed()));
        }
        if (r.verified() < r.opened()) {
            failures.add((r.opened() - r.verified()) + " not echoed");
        }
        if (r.aliveAtEnd() < r.verified()) {
            failures.add((r.verified() - r.aliveAtEnd()) + " closed");
        }
        return failures.isEmpty() ? "ok" : String.join(", ", failures);
    }
}
