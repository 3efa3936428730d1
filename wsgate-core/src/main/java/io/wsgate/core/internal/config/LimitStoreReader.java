package io.wsgate.core.internal.config;

import io.wsgate.core.store.FailureMode;
import io.wsgate.core.store.LimitStore;
import io.wsgate.core.store.LimitStoreFactory;
import io.wsgate.core.store.LimitStoreSettings;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@code gateway.limitStore}: {@code type} ({@code memory}, or one a {@link LimitStoreFactory} makes, e.g.
 * {@code redis}), {@code uri}, {@code commandTimeout}, {@code failureMode} ({@code closed} or {@code open}) and
 * {@code leaseTime}, and makes the store with its factory. Used on the thread that loads the file.
 */
final class LimitStoreReader {

    private final Source source;
    private final Map<String, LimitStoreFactory> factories = new TreeMap<>();
    private final Clock clock;

    LimitStoreReader(Source source, List<LimitStoreFactory> factories, Clock clock) {
        this.source = source;
        this.clock = clock;
        factories.forEach(f -> this.factories.putIfAbsent(f.type(), f));
    }

    LimitStore read(MapReader m, String gateway) {
        String type = m.requireText("type");
        if (type.equals("memory")) {
            m.finish();
            return LimitStore.inMemory(clock);
        }
        LimitStoreFactory factory = factories.get(type);
        if (factory == null) {
            throw source.error(m.require("type"), m.path("type"), "unknown limit store type '" + type + "'; known: memory"
                    + (factories.isEmpty() ? " (add wsgate-redis to the class path for redis)" : ", " + String.join(", ", factories.keySet())));
        }
        YamlNode uriNode = m.require("uri");
        String text = source.text(uriNode, m.path("uri"));
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            // the message would repeat the URI, password and all
            throw source.error(uriNode, m.path("uri"), "not a URI: use redis://[:password@]host[:port][/database] or rediss://...");
        }
        Duration timeout = m.positiveDuration("commandTimeout").orElse(LimitStoreSettings.DEFAULT_COMMAND_TIMEOUT);
        FailureMode mode = FailureMode.CLOSED;
        if (m.get("failureMode").isPresent()) {
            String s = m.requireText("failureMode");
            mode = switch (s.toLowerCase(Locale.ROOT)) {
                case "closed" -> FailureMode.CLOSED;
                case "open" -> FailureMode.OPEN;
                default -> throw source.error(m.require("failureMode"), m.path("failureMode"),
                        "'" + s + "' is not a failure mode: closed (503 while the store fails) or open (local limits)");
            };
        }
        Duration lease = m.positiveDuration("leaseTime").orElse(LimitStoreSettings.DEFAULT_LEASE_TIME);
        FailureMode failureMode = mode;
        m.finish();
        LimitStoreSettings settings = source.check(m.node(), m.path(),
                () -> new LimitStoreSettings(type, uri, gateway, timeout, failureMode, lease, clock));
        return source.check(m.node(), m.path(), () -> factory.create(settings));
    }
}
