package io.wsgate.core.file;

import io.wsgate.core.GatewayConfig;
import io.wsgate.core.config.GatewayFileException;
import io.wsgate.core.config.MessagePolicyFactory;
import io.wsgate.core.config.PolicyFactory;
import io.wsgate.core.error.ConfigurationException;
import io.wsgate.core.internal.config.GatewayFileReader;
import io.wsgate.core.internal.config.PolicyReuse;
import io.wsgate.core.internal.config.PolicyTypes;
import io.wsgate.core.internal.config.Source;
import io.wsgate.core.internal.config.YamlNode;
import io.wsgate.core.internal.config.YamlTrees;
import io.wsgate.core.store.LimitStoreFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Loads gateway files, with the custom policy factories (handshake: {@link PolicyFactory}; message:
 * {@link MessagePolicyFactory}) found through {@link ServiceLoader} plus any given here. Immutable: the {@code with...} methods return a new loader. {@link GatewayFiles#load(Path)} is the
 * short form with the defaults.
 *
 * <pre>{@code
 * GatewayConfig config = GatewayFiles.loader()
 *         .withFactory(new TenantPolicyFactory())
 *         .load(Path.of("gateway.yaml"));
 * }</pre>
 */
public final class GatewayFileLoader {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayFileLoader.class);

    private final List<PolicyFactory> factories;
    private final List<MessagePolicyFactory> messageFactories;
    private final ClassLoader classLoader;
    private final Clock clock;

    private GatewayFileLoader(List<PolicyFactory> factories, List<MessagePolicyFactory> messageFactories,
                              ClassLoader classLoader, Clock clock) {
        this.factories = List.copyOf(factories);
        this.messageFactories = List.copyOf(messageFactories);
        this.classLoader = classLoader;
        this.clock = clock;
    }

    static GatewayFileLoader create() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return new GatewayFileLoader(List.of(), List.of(), cl != null ? cl : GatewayFileLoader.class.getClassLoader(),
                Clock.systemUTC());
    }

    /** @return this loader, also knowing that factory (it wins over a {@link ServiceLoader} one of its type) */
    public GatewayFileLoader withFactory(PolicyFactory factory) {
        List<PolicyFactory> list = new ArrayList<>(factories);
        list.add(Objects.requireNonNull(factory, "factory"));
        return new GatewayFileLoader(list, messageFactories, classLoader, clock);
    }

    /**
     * @param factory makes the message policy of a type an {@code onMessage} (or {@code policies}) entry names
     * @return this loader, also knowing that factory (it wins over a {@link ServiceLoader} one of its type)
     */
    public GatewayFileLoader withMessageFactory(MessagePolicyFactory factory) {
        List<MessagePolicyFactory> list = new ArrayList<>(messageFactories);
        list.add(Objects.requireNonNull(factory, "factory"));
        return new GatewayFileLoader(factories, list, classLoader, clock);
    }

    /** @return this loader, finding factories through that class loader (default: the thread's context one) */
    public GatewayFileLoader withClassLoader(ClassLoader classLoader) {
        return new GatewayFileLoader(factories, messageFactories, Objects.requireNonNull(classLoader, "classLoader"), clock);
    }

    /** @return this loader, giving the configuration and its time-based policies that clock (tests drive their own) */
    public GatewayFileLoader withClock(Clock clock) {
        return new GatewayFileLoader(factories, messageFactories, classLoader, Objects.requireNonNull(clock, "clock"));
    }

    /**
     * @param file a gateway file, UTF-8 YAML
     * @return the configuration it declares
     * @throws GatewayFileException   naming the file, line and key of the first mistake
     * @throws UncheckedIOException   when the file cannot be read
     * @throws ConfigurationException when two custom factories claim one type, or one claims a built-in's
     */
    public GatewayConfig load(Path file) {
        Objects.requireNonNull(file, "file");
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, file.toString());
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.toString();
            throw new UncheckedIOException("cannot read gateway file " + file + ": " + why, e);
        }
    }

    /**
     * @param yaml   a gateway file's text
     * @param source what to call it in messages, e.g. its file name
     * @return the configuration it declares
     * @throws GatewayFileException naming the source, line and key of the first mistake
     */
    public GatewayConfig parse(String yaml, String source) {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(source, "source");
        try {
            return read(new StringReader(yaml), source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Loads the file now and watches it: each change (in place, or a new file moved over it) is reloaded within
     * about two seconds, keeping the state of the limits it leaves unchanged. See {@link ReloadingGatewayFile}.
     *
     * @param file a gateway file, UTF-8 YAML
     * @return the file, loaded; {@link ReloadingGatewayFile#close() close} it to stop watching
     * @throws GatewayFileException   naming the file, line and key of the first mistake
     * @throws UncheckedIOException   when the file cannot be read or its directory cannot be watched
     */
    public ReloadingGatewayFile watching(Path file) {
        return ReloadingGatewayFile.open(this, file, true);
    }

    /**
     * Loads the file now, to be reloaded only when asked ({@link ReloadingGatewayFile#reload()}, e.g. from an
     * admin endpoint), without watching it.
     *
     * @param file a gateway file, UTF-8 YAML
     * @return the file, loaded
     * @throws GatewayFileException naming the file, line and key of the first mistake
     * @throws UncheckedIOException when the file cannot be read
     */
    public ReloadingGatewayFile reloadable(Path file) {
        return ReloadingGatewayFile.open(this, file, false);
    }

    /** @return the clock the configurations this loader makes run on */
    Clock clock() {
        return clock;
    }

    /**
     * Loads one version of a file, reusing the unchanged policies of the previous one.
     *
     * @param content the file's bytes, UTF-8
     * @param name    what to call it in messages
     * @param reuse   the previous load's instances, and the record of this load's
     * @return the configuration
     * @throws GatewayFileException naming the file, line and key of the first mistake
     * @throws UncheckedIOException when the bytes are not UTF-8, as {@link #load(Path)} refuses them
     */
    GatewayConfig read(byte[] content, String name, PolicyReuse.Load reuse) {
        try (Reader reader = new InputStreamReader(new ByteArrayInputStream(content), StandardCharsets.UTF_8.newDecoder())) {
            return read(reader, name, reuse);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read gateway file " + name + ": " + e, e);
        }
    }

    private GatewayConfig read(Reader reader, String name) throws IOException {
        return read(reader, name, PolicyReuse.none().begin());
    }

    private GatewayConfig read(Reader reader, String name, PolicyReuse.Load reuse) throws IOException {
        List<PolicyFactory> found = new ArrayList<>();
        ServiceLoader.load(PolicyFactory.class, classLoader).forEach(found::add);
        List<MessagePolicyFactory> foundMessages = new ArrayList<>();
        ServiceLoader.load(MessagePolicyFactory.class, classLoader).forEach(foundMessages::add);
        PolicyTypes types = PolicyTypes.of(found, factories, foundMessages, messageFactories);
        LOG.debug("custom policy types: {}", types.customTypes());
        YamlNode root = YamlTrees.parse(reader, name);
        List<LimitStoreFactory> stores = new ArrayList<>();
        ServiceLoader.load(LimitStoreFactory.class, classLoader).forEach(stores::add);
        return new GatewayFileReader(new Source(name), types, clock, reuse, stores).read(root);
    }
}
