/** The handshake side of the flow: routing, upgrade checks, the backend request, the policy chain and error responses. */
package io.wsgate.core.internal.handshake;
