package io.wsgate.core.internal.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Watches one file through a {@link WatchService} on its directory, and calls back on a thread of its own once
 * the file's events have settled: written in place, created, or replaced by another file moved over it (how
 * editors and deployment tools write). A burst of events (truncate, write, write) makes one call. When the file
 * is a symbolic link (a Kubernetes ConfigMap swaps a link in the directory, not the file), any event of the
 * directory counts. The callback reads the file and decides whether it changed.
 */
public final class FileWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileWatcher.class);

    /** How long the directory must be quiet after an event before the callback runs. */
    private static final long QUIET_MILLIS = 150;
    /** The longest a burst of events delays the callback. */
    private static final long MAX_SETTLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path file;
    private final Path name;
    private final boolean anyEvent;
    private final WatchService service;
    private final Runnable onChange;
    private final Thread thread;

    private FileWatcher(Path file, WatchService service, Runnable onChange) {
        this.file = file;
        this.name = file.getFileName();
        this.anyEvent = Files.isSymbolicLink(file);
        this.service = service;
        this.onChange = onChange;
        this.thread = new Thread(this::run, "wsgate-config-watcher");
        this.thread.setDaemon(true);
    }

    /**
     * @param file     the file; its directory is watched
     * @param onChange called on the watcher's thread after the file changed (or may have: the callback checks)
     * @return the watcher, watching from now on
     * @throws IOException when the directory cannot be watched
     */
    public static FileWatcher start(Path file, Runnable onChange) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path dir = Objects.requireNonNull(absolute.getParent(), "a file has a directory");
        WatchService service = dir.getFileSystem().newWatchService();
        try {
            dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException | RuntimeException e) {
            service.close();
            throw e;
        }
        FileWatcher w = new FileWatcher(absolute, service, onChange);
        w.thread.start();
        LOG.debug("watching {}", absolute);
        return w;
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = service.take();
                boolean relevant = relevant(key);
                if (!key.reset()) {
                    LOG.warn("{}: its directory can no longer be watched (was it removed?); the file is reloaded"
                            + " on request only from now on", file);
                    return;
                }
                if (relevant) {
                    settle();
                    changed();
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            LOG.debug("stopped watching {}", file);
        }
    }

    /** Waits until the directory has been quiet for a moment, or at most {@link #MAX_SETTLE_NANOS}. */
    private void settle() throws InterruptedException {
        long deadline = System.nanoTime() + MAX_SETTLE_NANOS;
        while (System.nanoTime() < deadline) {
            WatchKey more = service.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS);
            if (more == null) {
                return;
            }
            more.pollEvents();
            more.reset();
        }
    }

    private boolean relevant(WatchKey key) {
        boolean relevant = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (anyEvent || event.kind() == StandardWatchEventKinds.OVERFLOW || name.equals(event.context())) {
                relevant = true;
            }
        }
        return relevant;
    }

    private void changed() {
        try {
            onChange.run();
        } catch (RuntimeException e) {
            LOG.warn("{}: reloading after a change failed", file, e);
        }
    }

    /** Stops watching; a callback running now completes. Idempotent. */
    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            LOG.debug("closing the watch service of {}", file, e);
        }
    }
}
