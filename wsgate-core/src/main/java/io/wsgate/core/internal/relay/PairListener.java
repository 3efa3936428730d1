package io.wsgate.core.internal.relay;

import io.wsgate.core.PairEnd;
import io.wsgate.core.transport.PairRelay;

/** Told once when a pair has fully ended (both connections closed): deregisters and logs it. */
@FunctionalInterface
public interface PairListener {
    /**
     * @param pair the pair, whose counters are final now
     * @param end  how it ended
     */
    void pairEnded(PairRelay pair, PairEnd end);
}
