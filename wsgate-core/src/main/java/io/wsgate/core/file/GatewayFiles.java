package io.wsgate.core.file;

import io.wsgate.core.GatewayConfig;
import io.wsgate.core.config.GatewayFileException;
import io.wsgate.core.config.PolicyFactory;

import java.nio.file.Path;

/**
 * A gateway declared in a YAML file: the gateway, its global policies, its products and their subscription
 * keys, its APIs with their limits and policies, read into the same immutable builders code uses.
 * {@code docs/configuration.md} lists every key.
 *
 * <pre>{@code
 * GatewayConfig config = GatewayFiles.load(Path.of("gateway.yaml"));
 * server.setHandler(WsGateHandler.builder(config).build());
 * }</pre>
 *
 * <p>An unknown key, a value of the wrong type, a bad URL, CIDR range, origin or key, an unknown policy type
 * or product, or a policy placed where it may not stand fails with a {@link GatewayFileException} naming the
 * file, line and key. Custom policies are named by type and made by {@link PolicyFactory} implementations
 * found through {@link java.util.ServiceLoader}.
 */
public final class GatewayFiles {

    private GatewayFiles() {
    }

    /**
     * @param file a gateway file, UTF-8 YAML
     * @return the configuration it declares
     * @throws GatewayFileException           naming the file, line and key of the first mistake
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    public static GatewayConfig load(Path file) {
        return loader().load(file);
    }

    /**
     * Loads the file and watches it, reloading it on every change while keeping the state of the limits it
     * leaves unchanged (see {@link ReloadingGatewayFile}).
     *
     * <pre>{@code
     * ReloadingGatewayFile file = GatewayFiles.watching(Path.of("gateway.yaml"));
     * server.setHandler(WsGateHandler.builder(file.createGateway(List.of())).build());
     * }</pre>
     *
     * @param file a gateway file, UTF-8 YAML
     * @return the file, loaded and watched; close it to stop watching
     * @throws GatewayFileException           naming the file, line and key of the first mistake
     * @throws java.io.UncheckedIOException when the file cannot be read or its directory cannot be watched
     */
    public static ReloadingGatewayFile watching(Path file) {
        return loader().watching(file);
    }

    /** @return a loader with the defaults, to add factories or a clock */
    public static GatewayFileLoader loader() {
        return GatewayFileLoader.create();
    }
}
