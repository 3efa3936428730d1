package io.wsgate.core.store;

/**
 * Makes the {@link LimitStore} a gateway file names by its type ({@code gateway.limitStore.type}). Found through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.wsgate.core.store.LimitStoreFactory}): wsgate-redis
 * provides {@code redis}. Called on the thread that loads the file, once per load that changes the store.
 */
public interface LimitStoreFactory {

    /** @return the type this factory makes, e.g. {@code redis} */
    String type();

    /**
     * @param settings the file's settings
     * @return the store; it connects in the background, failing its calls (hence the {@code failureMode}) until it
     *         has connected
     * @throws IllegalArgumentException when a setting cannot be used (the file reports it at {@code limitStore})
     */
    LimitStore create(LimitStoreSettings settings);
}
