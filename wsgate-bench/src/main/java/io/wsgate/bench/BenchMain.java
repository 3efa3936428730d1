package io.wsgate.bench;

import io.wsgate.bench.orchestrator.DrainCommand;
import io.wsgate.bench.orchestrator.DriveCommand;
import io.wsgate.bench.echo.EchoBackend;
import io.wsgate.bench.orchestrator.Orchestrator;
import io.wsgate.bench.orchestrator.StormCommand;

import java.util.Arrays;

/**
 * {@code java -jar wsgate-bench.jar COMMAND [options]}:
 * <ul>
 *   <li>{@code run}: the whole benchmark (echo backend, targets, driver, tables);</li>
 *   <li>{@code echo}: the echo backend alone;</li>
 *   <li>{@code drive}: one load mode against one WebSocket URL;</li>
 *   <li>{@code drain}: a rolling restart: pairs open, SIGTERM to a fresh gateway, the drain measured;</li>
 *   <li>{@code storm}: a reconnect storm: N clients at once on a fresh gateway (and a fresh nginx), timed;</li>
 *   <li>{@code jmh}: the JMH micro-benchmarks (JMH's own options follow).</li>
 * </ul>
 */
public final class BenchMain {

    private static final String USAGE = "usage: java -jar wsgate-bench.jar run|echo|drive|drain|storm|jmh [options]  (--help for each)";

    private BenchMain() {
    }

    /**
     * @param args the command and its options
     * @throws Exception when a benchmark fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("wsgate-bench: " + USAGE);
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        int status;
        try {
            switch (args[0]) {
                case "run" -> status = Orchestrator.main(rest);
                case "echo" -> status = EchoBackend.main(rest);
                case "drive" -> status = DriveCommand.main(rest);
                case "drain" -> status = DrainCommand.main(rest);
                case "storm" -> status = StormCommand.main(rest);
                case "jmh" -> {
                    org.openjdk.jmh.Main.main(rest);
                    status = 0;
                }
                case "--help", "-h", "help" -> {
                    System.out.println(USAGE);
                    status = 0;
                }
                default -> throw new UsageException("unknown command '" + args[0] + "'; " + USAGE);
            }
        } catch (UsageException e) {
            System.err.println("wsgate-bench: " + e.getMessage());
            status = 2;
        } catch (Exception e) {
            // a benchmark failure (a process that does not start, a target that does not echo): the message says which
            System.err.println("wsgate-bench: failed: " + e.getMessage());
            if (Boolean.getBoolean("wsgate.bench.trace")) {
                e.printStackTrace();
            }
            status = 1;
        }
        System.exit(status);
    }
}
