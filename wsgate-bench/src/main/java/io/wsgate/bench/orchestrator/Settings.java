package io.wsgate.bench.orchestrator;

import io.wsgate.bench.Args;
import io.wsgate.bench.UsageException;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * How a run loads its targets: the modes, the timing and the load, after the preset ({@code --quick}
 * or {@code --full}) and the options that override it.
 *
 * @param modes           the modes to run, in order
 * @param rounds          how many times every timed mode runs on every target
 * @param warmup          load before each window opens
 * @param measure         each window's length
 * @param prime           one prime run's length, per mode, before round 1
 * @param primeMax        the longest a mode is primed on one target
 * @param rate            the latency mode's offered load, messages per second
 * @param connections     connections of the throughput and latency modes
 * @param parallel        parallel lanes of the handshake modes
 * @param pairs           idle pairs of the concurrency mode
 * @param sourceAddresses 127.0.0.x source addresses of the concurrency mode
 * @param text            text messages (false: binary)
 * @param pin             whether processes are pinned to cores with taskset
 * @param driverCore      the driver's core
 * @param serverCore      the backend's and the proxies' core
 * @param full            the full preset (false: quick)
 */
record Settings(List<Mode> modes, int rounds, Duration warmup, Duration measure, Duration prime, Duration primeMax,
                double rate,
                int connections, int parallel, int pairs, int sourceAddresses, boolean text, boolean pin,
                int driverCore, int serverCore, boolean full) {

    /**
     * @param opts the {@code run} options
     * @return the settings they ask for
     * @throws UsageException when the presets exclude each other or a number is out of range
     */
    static Settings from(Args opts) {
        if (opts.flag("quick") && opts.flag("full")) {
            throw new UsageException("--quick and --full exclude each other");
        }
        boolean full = opts.flag("full");
        List<Mode> modes = opts.value("modes")
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).map(Mode::of).toList())
                .orElse(List.of(Mode.values()));
        Settings s = new Settings(modes,
                opts.intValue("rounds", full ? 3 : 2),
                opts.duration("warmup", full ? Duration.ofSeconds(1) : Duration.ofMillis(400)),
                opts.duration("measure", full ? Duration.ofSeconds(5) : Duration.ofMillis(1200)),
                opts.duration("prime", full ? Duration.ofSeconds(5) : Duration.ofMillis(1500)),
                opts.duration("prime-max", full ? Duration.ofSeconds(90) : Duration.ofSeconds(3)),
                opts.doubleValue("rate", 2000),
                opts.intValue("connections", 50),
                opts.intValue("parallel", 16),
                opts.intValue("pairs", full ? 9900 : 1000),
                opts.intValue("source-addresses", 4),
                !opts.flag("binary"),
                !opts.flag("no-pin"),
                opts.intValue("driver-core", 0),
                opts.intValue("server-core", 1),
                full);
        if (s.rounds() < 1 || s.connections() < 1 || s.parallel() < 1 || s.pairs() < 1 || s.rate() <= 0
                || s.sourceAddresses() < 1 || s.sourceAddresses() > 250) {
            throw new UsageException("--rounds, --connections, --parallel, --pairs and --rate must be positive; --source-addresses 1 to 250");
        }
        return s;
    }
}
