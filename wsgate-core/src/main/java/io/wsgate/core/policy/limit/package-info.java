/** Limits by key: the rate and quota of handshakes, the concurrent connections, and the keys they count by. */
package io.wsgate.core.policy.limit;
