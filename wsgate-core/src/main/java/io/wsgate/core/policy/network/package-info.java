/** Policies on where a handshake comes from: IP filter, check origin, check header, and the client address behind trusted proxies. */
package io.wsgate.core.policy.network;
