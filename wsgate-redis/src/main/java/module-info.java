/**
 * The {@code LimitStore} of wsgate on Redis ({@link io.wsgate.redis.RedisLimitStore}): rate limits, quotas and
 * connection limits shared by every instance of a gateway. Optional: core knows only the SPI; a gateway file's
 * {@code limitStore: {type: redis}} finds this module through {@link java.util.ServiceLoader}.
 */
// "requires-automatic": Lettuce and Bucket4j have no module descriptor, only an Automatic-Module-Name.
@SuppressWarnings("requires-automatic")
module io.wsgate.redis {
    // RedisLimitStore is a LimitStore, built from a URI and LimitStoreSettings.
    requires transitive io.wsgate.core;
    requires lettuce.core;
    requires io.github.bucket4j.core;
    requires io.github.bucket4j.lettuce;
    requires org.slf4j;

    exports io.wsgate.redis;

    provides io.wsgate.core.store.LimitStoreFactory with io.wsgate.redis.RedisLimitStoreFactory;
}
