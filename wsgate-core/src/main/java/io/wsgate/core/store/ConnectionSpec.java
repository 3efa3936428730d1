package io.wsgate.core.store;

import java.util.Objects;

/**
 * The concurrent-connection limits of one connection limiter, as a {@link LimitStore} counts them; 0 is no limit.
 *
 * @param id         names its counters in a shared store (the same in every instance of one gateway)
 * @param perGateway the most pairs of the gateway
 * @param perApi     the most pairs of each API
 * @param perKey     the most pairs of each key
 */
public record ConnectionSpec(String id, int perGateway, int perApi, int perKey) {

    /** Checks the values. */
    public ConnectionSpec {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("id is blank");
        }
        if (perGateway < 0 || perApi < 0 || perKey < 0) {
            throw new IllegalArgumentException("limits are 0 (none) or more, got perGateway=" + perGateway
                    + ", perApi=" + perApi + ", perKey=" + perKey);
        }
    }
}
