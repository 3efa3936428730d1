package io.wsgate.jetty.internal;

import io.wsgate.core.DrainOptions;
import io.wsgate.core.DrainResult;
import io.wsgate.core.Gateway;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Drains a gateway when the Jetty server it is mounted on starts stopping. A server stops its connectors,
 * closing every connection, before it stops its handlers: a Handler's {@code doStop} or a Servlet's
 * {@code destroy} would come too late to send close frames. This listener hears the server's
 * {@code lifeCycleStopping}, which comes before any of that, and blocks the stopping thread until the drain
 * is over (at most the drain's window and timeout, and a second). The Handler and the Servlet also drain
 * from their own stop, for when they are stopped without the server (then their connections are open still).
 */
public final class DrainOnStop implements LifeCycle.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(DrainOnStop.class);
    /** How long past the drain's own bound the stopping thread waits for it. */
    private static final Duration GRACE = Duration.ofSeconds(1);

    private final Gateway gateway;
    private final Supplier<DrainOptions> options;
    private volatile Server server;

    /**
     * @param gateway the gateway to drain
     * @param options read when the drain starts (the configuration in force then, unless the builder set some)
     */
    public DrainOnStop(Gateway gateway, Supplier<DrainOptions> options) {
        this.gateway = gateway;
        this.options = options;
    }

    /**
     * Listens to the server's lifecycle until {@link #uninstall()}.
     *
     * @param on the server the gateway is mounted on; null when there is none (nothing to listen to)
     */
    public void install(Server on) {
        if (on != null) {
            server = on;
            on.addEventListener(this);
        }
    }

    /** Stops listening. */
    public void uninstall() {
        Server s = server;
        server = null;
        if (s != null) {
            s.removeEventListener(this);
        }
    }

    @Override
    public void lifeCycleStopping(LifeCycle event) {
        if (event == server) {
            drainAndWait();
        }
    }

    /**
     * Drains the gateway (or joins the drain under way) and waits for it to end. Called on the thread that
     * stops the server, the Handler or the Servlet.
     *
     * @return what the drain did, when it ended in time
     */
    public Optional<DrainResult> drainAndWait() {
        DrainOptions o = options.get();
        try {
            return Optional.of(gateway.drain(o).toCompletableFuture()
                    .get(o.longest().plus(GRACE).toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            LOG.warn("gateway '{}' not drained within {}; stopping anyway", gateway.config().name(), o.longest().plus(GRACE));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("gateway '{}': interrupted while draining; stopping anyway", gateway.config().name());
        } catch (ExecutionException e) {
            LOG.warn("gateway '{}': drain failed; stopping anyway", gateway.config().name(), e.getCause());
        }
        return Optional.empty();
    }
}
