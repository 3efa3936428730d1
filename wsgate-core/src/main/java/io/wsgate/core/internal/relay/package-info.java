/** The relay of established pairs: one frame in flight per direction, limits, counters and close propagation. */
package io.wsgate.core.internal.relay;
