package io.wsgate.bench.driver;

/**
 * What the concurrency mode held.
 *
 * @param requested  pairs asked for
 * @param opened     connections that completed their handshake
 * @param verified   of those, connections whose one echo came back
 * @param failed     handshakes or echoes that failed
 * @param aliveAtEnd connections still open when the pairs were released
 * @param openNanos  how long opening and verifying took
 */
public record ConcurrencyResult(int requested, long opened, long verified, long failed, long aliveAtEnd, long openNanos) {
}
