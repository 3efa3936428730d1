package io.wsgate.bench.orchestrator;

import io.wsgate.bench.Args;
import org.HdrHistogram.Histogram;

/**
 * {@code run}: the whole benchmark in one command. Reads the options ({@link RunOptions}), starts the echo
 * backend, wsgate and nginx pinned to the server core ({@link Launcher}), runs each mode on every target
 * interleaved over several rounds ({@link Rounds}), and prints one table per mode with ratios to direct and
 * to each peer ({@link Report}).
 */
public final class Orchestrator {

    private Orchestrator() {
    }

    /**
     * Called by {@code BenchMain} for {@code run}, on the main thread; returns when every process it
     * started has stopped.
     *
     * @param args the options
     * @return the exit status
     * @throws Exception when the benchmark fails
     */
    public static int main(String[] args) throws Exception {
        Args opts = Args.parse(args, RunOptions.FLAGS, RunOptions.VALUED);
        if (opts.flag("help")) {
            System.out.print(RunOptions.USAGE);
            return 0;
        }
        RunOptions options = RunOptions.from(opts);
        Settings s = options.settings();
        String token = JwtRoute.jwt(options.jwtSecret(), JwtRoute.ISSUER, JwtRoute.AUDIENCE);

        Launcher launcher = new Launcher();
        Launcher.Started started = launcher.start(options);
        long startedAt = System.nanoTime();
        Rounds.Results results = Rounds.run(s, started.targets(), token, started.backendPid());
        long elapsed = System.nanoTime() - startedAt;

        System.out.print(Report.render(s, started.targets(), results.measured(), results.held(), started.notStarted(),
                results.primedFor(), started.notes(), options.nginx(), elapsed));
        launcher.stop();
        return 0;
    }

    /** @param line a progress line, to stderr (the report goes to stdout) */
    static void progress(String line) {
        System.err.println("[bench] " + line);
    }

    /**
     * @return the histogram's value at this percentile in microseconds (it records nanoseconds); NaN when
     *         it is empty
     */
    static double p(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    /** @return CPU milliseconds per 1,000 of {@code count}; NaN when either is unknown */
    static double perThousand(double cpuMs, long count) {
        return Double.isNaN(cpuMs) || count <= 0 ? Double.NaN : cpuMs * 1000.0 / count;
    }
}
