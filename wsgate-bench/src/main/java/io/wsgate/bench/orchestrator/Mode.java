package io.wsgate.bench.orchestrator;

import io.wsgate.bench.UsageException;

/** The load modes of a run, in the order they run in a round. */
enum Mode {
    TP64("tp64", "throughput, 64 B messages, closed loop"),
    TP16K("tp16k", "throughput, 16 KiB messages, closed loop"),
    LATENCY("latency", "latency at a fixed offered load, open loop, from intended send time"),
    HANDSHAKE("handshake", "handshakes (connect + close), no token"),
    HANDSHAKE_JWT("handshake-jwt", "handshakes (connect + close) with Authorization: Bearer <JWT>"),
    CONCURRENCY("concurrency", "idle pairs held, each verified with one echo");

    /** The mode's name on the command line and in the tables. */
    final String id;
    /** What the mode loads, for the table's title. */
    final String title;

    Mode(String id, String title) {
        this.id = id;
        this.title = title;
    }

    /**
     * @param id a mode's name, as {@code --modes} gives it
     * @return the mode
     * @throws UsageException when no mode has this name
     */
    static Mode of(String id) {
        for (Mode m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        throw new UsageException("unknown mode '" + id + "'; modes: tp64, tp16k, latency, handshake, handshake-jwt, concurrency");
    }
}
