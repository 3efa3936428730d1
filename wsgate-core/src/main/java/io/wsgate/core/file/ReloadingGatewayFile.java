package io.wsgate.core.file;

import io.wsgate.core.Gateway;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.GatewayListener;
import io.wsgate.core.ReloadResult;
import io.wsgate.core.config.GatewayFileException;
import io.wsgate.core.internal.config.FileWatcher;
import io.wsgate.core.internal.config.PolicyReuse;
import io.wsgate.core.internal.observe.GuardedListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A gateway file loaded once and reloaded while the gateway runs: when it changes on disk (if watched, see
 * {@link GatewayFileLoader#watching(Path)}) and whenever {@link #reload()} is called (an admin endpoint's
 * {@code POST /reload}). Made by {@link GatewayFiles#watching(Path)} or a {@link GatewayFileLoader}.
 *
 * <pre>{@code
 * ReloadingGatewayFile file = GatewayFiles.watching(Path.of("gateway.yaml"));
 * Gateway gateway = file.createGateway(List.of(metricsListener));
 * server.setHandler(WsGateHandler.builder(gateway).build());
 * // on shutdown: file.close();
 * }</pre>
 *
 * <p><b>What a reload keeps.</b> Established pairs keep running through every reload, whatever happened to their
 * API (changed or removed); new handshakes see the new configuration at once. Every policy the new file leaves
 * unchanged (same scope: the gateway, a product or an API, by name; same type; the same options, whatever their
 * order or the entry's position), and the gateway's connection limits when they are unchanged, keep their
 * instance and so their state: rate-limit buckets, quotas, connection counts. A changed policy starts fresh, a
 * removed one is dropped with its state; a pair admitted under a dropped connection limiter gives its permit back
 * to that limiter, never to the new one. Custom policies are kept the same way: their factory is not called
 * again for an unchanged entry. A change of {@code gateway.trustedProxies} starts every policy fresh.
 *
 * <p><b>A file that does not load</b> (a YAML or semantic error, or an unreadable file) leaves the configuration in
 * force; the error, located ({@code gateway.yaml:12:7: ...}), is logged once at warn and is
 * {@link #lastReload()}'s message. The same content is not read again until it changes. The watcher waits out a
 * file briefly absent or empty while an editor or a tool replaces or writes it.
 *
 * <p><b>Threads.</b> Thread-safe. Reloads run one at a time, on the watcher's thread or the caller's; listeners
 * hear {@link GatewayListener#configReloaded} on that thread.
 */
public final class ReloadingGatewayFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadingGatewayFile.class);

    /** A gateway this file configures, with its listeners, who hear every reload. */
    private record Target(Gateway gateway, GatewayListener listener) {
    }

    private final GatewayFileLoader loader;
    private final Path file;
    private final String name;
    private final Object lock = new Object();
    private final List<Target> targets = new CopyOnWriteArrayList<>();
    private volatile GatewayConfig config;
    private volatile ReloadResult last;
    private volatile FileWatcher watcher;
    private volatile boolean closed;
    // Guarded by lock.
    private PolicyReuse reuse = PolicyReuse.none();
    private byte[] inForce;
    private byte[] failedContent;

    private ReloadingGatewayFile(GatewayFileLoader loader, Path file) {
        this.loader = loader;
        this.file = file;
        this.name = file.toString();
    }

    /** Loads the file and, when asked, watches it (the watch starts first, so no change is missed). */
    static ReloadingGatewayFile open(GatewayFileLoader loader, Path file, boolean watch) {
        Objects.requireNonNull(file, "file");
        ReloadingGatewayFile f = new ReloadingGatewayFile(loader, file);
        synchronized (f.lock) {
            if (watch) {
                try {
                    f.watcher = FileWatcher.start(file, f::changedOnDisk);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot watch gateway file " + file + ": " + e, e);
                }
            }
            try {
                byte[] content = f.read();
                PolicyReuse.Load load = f.reuse.begin();
                f.config = loader.read(content, f.name, load);
                f.reuse = load.finish();
                f.inForce = content;
            } catch (RuntimeException e) {
                f.close();
                throw e;
            }
        }
        return f;
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            String why = e instanceof NoSuchFileException ? "no such file" : e.toString();
            throw new UncheckedIOException("cannot read gateway file " + file + ": " + why, e);
        }
    }

    /** @return the file */
    public Path file() {
        return file;
    }

    /** @return the configuration in force: the last one that loaded */
    public GatewayConfig config() {
        return config;
    }

    /**
     * Creates a gateway serving this file's configuration; every reload that applies reconfigures it, and its
     * listeners hear every reload ({@link GatewayListener#configReloaded}). Called once per gateway, usually at
     * start-up; hand the gateway to the transport's builder ({@code WsGateHandler.builder(gateway)}).
     *
     * @param listeners hear the gateway's handshake, pair and reload events, in this order
     * @return the gateway
     */
    public Gateway createGateway(List<GatewayListener> listeners) {
        Objects.requireNonNull(listeners, "listeners");
        synchronized (lock) {
            Gateway gateway = Gateway.create(config, listeners);
            targets.add(new Target(gateway, GuardedListener.of(listeners)));
            return gateway;
        }
    }

    /**
     * Reloads the file now. Blocks while it is read and loaded: call it from a thread that may block (an admin
     * request's, not a selector).
     *
     * @return {@link ReloadResult.Outcome#APPLIED} (the gateways serve the new configuration),
     *         {@link ReloadResult.Outcome#UNCHANGED} (the file is as the configuration in force was read), or
     *         {@link ReloadResult.Outcome#FAILED} with the located error (the configuration in force stays; asked
     *         again for the same content, the same result comes back, not logged or reported again)
     */
    public ReloadResult reload() {
        synchronized (lock) {
            return attempt(true);
        }
    }

    /** @return the outcome of the last reload; empty until the first one */
    public Optional<ReloadResult> lastReload() {
        return Optional.ofNullable(last);
    }

    /** @return true while the file is watched: made by {@code watching} and not closed */
    public boolean isWatching() {
        return watcher != null && !closed;
    }

    /** The watcher saw the file change, or be replaced; an absent file is waited for. */
    private void changedOnDisk() {
        synchronized (lock) {
            if (!closed) {
                attempt(false);
            }
        }
    }

    /** @return the result, or null when nobody asked and the file is absent or empty (it is being replaced or written) */
    private ReloadResult attempt(boolean asked) {
        Instant at = loader.clock().instant();
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            if (!asked) {
                LOG.debug("{} is absent for now; the configuration in force stays until it is back", name);
                return null;
            }
            return failed(at, name + ": no such file", null);
        } catch (IOException e) {
            return failed(at, name + ": cannot read: " + e, null);
        }
        if (content.length == 0 && !asked) {
            LOG.debug("{} is empty for now (being written?); the configuration in force stays", name);
            return null;
        }
        if (Arrays.equals(content, inForce)) {
            failedContent = null;
            LOG.debug("{} is as the configuration in force was read", name);
            return report(new ReloadResult(ReloadResult.Outcome.UNCHANGED, "the file is as the configuration in force was read", at));
        }
        ReloadResult previous = last;
        if (previous != null && previous.failed() && Arrays.equals(content, failedContent)) {
            return previous;
        }
        PolicyReuse.Load load = reuse.begin();
        GatewayConfig next;
        try {
            next = loader.read(content, name, load);
        } catch (GatewayFileException | UncheckedIOException e) {
            return failed(at, e.getMessage(), content);
        } catch (RuntimeException e) {
            LOG.debug("{} did not load", name, e);
            return failed(at, name + ": " + e.getMessage(), content);
        }
        config = next;
        reuse = load.finish();
        inForce = content;
        failedContent = null;
        for (Target t : targets) {
            t.gateway().reconfigure(next);
        }
        String message = "gateway '" + next.name() + "' with " + next.apis().size() + " API(s); " + load.reused()
                + " policies and limits kept their state, " + load.made() + " started fresh";
        LOG.info("{} reloaded: {}", name, message);
        return report(new ReloadResult(ReloadResult.Outcome.APPLIED, message, at));
    }

    private ReloadResult failed(Instant at, String message, byte[] content) {
        failedContent = content;
        LOG.warn("reload failed, the configuration in force stays: {}", message);
        return report(new ReloadResult(ReloadResult.Outcome.FAILED, message, at));
    }

    private ReloadResult report(ReloadResult result) {
        last = result;
        for (Target t : targets) {
            t.listener().configReloaded(result);
        }
        return result;
    }

    /** Stops watching the file (a reload under way completes); {@link #reload()} still works. Idempotent. */
    @Override
    public void close() {
        closed = true;
        FileWatcher w = watcher;
        if (w != null) {
            w.close();
        }
    }

    @Override
    public String toString() {
        return "ReloadingGatewayFile[" + name + (isWatching() ? ", watched" : "") + "]";
    }
}
