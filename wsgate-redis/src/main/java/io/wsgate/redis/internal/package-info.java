/** How the Redis store counts: Bucket4j buckets for rates and quotas, leases in sorted sets for connections, the keys. */
package io.wsgate.redis.internal;
