package io.wsgate.bench.driver;

import org.HdrHistogram.Histogram;

import java.util.Objects;

/**
 * What one timed run measured inside its window.
 *
 * @param count       messages round-tripped, or handshakes completed (connect + close)
 * @param windowNanos the window's length
 * @param latency     round-trip time, or handshake time (request to 101), in nanoseconds
 * @param cycle       for handshakes, connect + close time; otherwise the same as latency
 * @param errors      failed sends, failed handshakes, or (open loop) messages not back in time
 * @param offered     for open loop, the messages whose intended send time fell in the window; else equal to count
 */
public record RunResult(long count, long windowNanos, Histogram latency, Histogram cycle, long errors, long offered) {

    /** Checks the fields. */
    public RunResult {
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(cycle, "cycle");
    }

    /** @return completed operations per second in the window */
    public double perSecond() {
        return windowNanos == 0 ? 0 : count * 1e9 / windowNanos;
    }
}
