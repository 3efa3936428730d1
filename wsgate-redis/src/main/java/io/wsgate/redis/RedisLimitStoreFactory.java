package io.wsgate.redis;

import io.wsgate.core.store.LimitStore;
import io.wsgate.core.store.LimitStoreFactory;
import io.wsgate.core.store.LimitStoreSettings;

/**
 * Makes the store of a gateway file's {@code limitStore: {type: redis, uri: ...}}; found through
 * {@link java.util.ServiceLoader} when wsgate-redis is on the class or module path. Called on the thread that loads
 * the file.
 */
public final class RedisLimitStoreFactory implements LimitStoreFactory {

    /** Called by {@link java.util.ServiceLoader}. */
    public RedisLimitStoreFactory() {
    }

    @Override
    public String type() {
        return "redis";
    }

    @Override
    public LimitStore create(LimitStoreSettings settings) {
        return RedisLimitStore.create(settings);
    }
}
