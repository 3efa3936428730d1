/** The Redis {@code LimitStore}: its builder, and the factory a gateway file's {@code limitStore: {type: redis}} finds. */
package io.wsgate.redis;
