/** Observability: the access log of every handshake and pair. */
package io.wsgate.core.internal.observe;
