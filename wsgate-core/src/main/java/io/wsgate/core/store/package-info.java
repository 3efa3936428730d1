/**
 * Where limits by key keep their counts: the {@link io.wsgate.core.store.LimitStore} SPI, its in-memory default,
 * and what a shared store (wsgate-redis) implements so that a cluster of gateways limits together.
 */
package io.wsgate.core.store;
