package io.wsgate.core.policy.message;

import io.github.bucket4j.TimeMeter;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** A Bucket4j time source reading a {@link Clock} (the gateway's, or a test's). */
final class ClockTime implements TimeMeter {

    private final Clock clock;

    ClockTime(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long currentTimeNanos() {
        Instant now = clock.instant();
        return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
    }

    @Override
    public boolean isWallClockBased() {
        return true;
    }
}
