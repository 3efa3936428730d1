package io.wsgate.core;

import java.time.Duration;
import java.util.Objects;

/**
 * What a drain did ({@link Gateway#drain}). {@code closed + aborted} is {@code pairsAtStart} plus the pairs
 * that handshakes already under way when the drain began established meanwhile (each was closed at once).
 *
 * @param pairsAtStart the pairs open when the drain began
 * @param closed       the pairs that ended before the timeout (closed by the drain, or by their peers)
 * @param aborted      the pairs still open when the timeout passed, whose connections were dropped
 * @param took         how long the drain took, by the gateway's clock
 */
public record DrainResult(int pairsAtStart, int closed, int aborted, Duration took) {

    /** Checks the fields. */
    public DrainResult {
        if (pairsAtStart < 0 || closed < 0 || aborted < 0) {
            throw new IllegalArgumentException("negative count in drain result: " + pairsAtStart + ", " + closed + ", " + aborted);
        }
        Objects.requireNonNull(took, "took");
    }

    /** @return e.g. {@code "5000 pairs, 4998 closed, 2 aborted, in 12.3 s"} */
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%d pairs, %d closed, %d aborted, in %.1f s", pairsAtStart, closed,
                aborted, took.toMillis() / 1000.0);
    }
}
