package io.wsgate.bench.orchestrator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A process the orchestrator started: its output goes to a log file, and it is ready when a line matches. */
public final class Launched implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Launched.class);

    private final String name;
    private final Process process;
    private final Path log;

    private Launched(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts a process and waits for its readiness line.
     *
     * @param name    a name for messages and the log file
     * @param command the command line
     * @param logDir  where its output goes ({@code NAME.log})
     * @param ready   a pattern of the line that says it is ready; null to not wait
     * @param timeout how long to wait for that line
     * @return the process and, when {@code ready} was given, the match of its line
     * @throws IOException when it cannot start, exits early, or does not become ready in time (with the log's tail)
     */
    public static Started start(String name, List<String> command, Path logDir, Pattern ready, Duration timeout)
            throws IOException {
        Path log = logDir.resolve(name + ".log");
        LOG.debug("starting {}: {}", name, String.join(" ", command));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Launched launched = new Launched(name, process, log);
        CompletableFuture<Matcher> match = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.println(line);
                    if (ready != null && !match.isDone()) {
                        Matcher m = ready.matcher(line);
                        if (m.find()) {
                            match.complete(m);
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            match.completeExceptionally(new IOException(name + " exited before it was ready"));
        }, name + "-output");
        pump.setDaemon(true);
        pump.start();
        if (ready == null) {
            return new Started(launched, null);
        }
        try {
            return new Started(launched, match.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (Exception e) {
            // before close(), which ends a process that is still starting
            String why = process.isAlive() ? "no line matching '" + ready.pattern() + "' within " + timeout.toSeconds() + " s"
                    : "it exited, status " + process.exitValue();
            launched.close();
            throw new IOException(name + " did not start (" + why + "). Command: " + String.join(" ", command) + "\n--- " + log + " ---\n"
                    + launched.tail(), e);
        }
    }

    /** A started process and the match of its readiness line. */
    public record Started(Launched process, Matcher ready) {
    }

    /** @return the process id */
    public long pid() {
        return process.pid();
    }

    /** @return whether it still runs */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** @return the process's name */
    public String name() {
        return name;
    }

    /**
     * @param pattern what to look for
     * @return the first line of its output so far that matches, if any
     */
    public java.util.Optional<String> firstLine(Pattern pattern) {
        try (java.util.stream.Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(l -> pattern.matcher(l).find()).findFirst();
        } catch (IOException | java.io.UncheckedIOException e) {
            return java.util.Optional.empty();
        }
    }

    /** @return the last lines of its output */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no output)";
        }
    }

    /** Stops it: SIGTERM, then SIGKILL after 5 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
