/** Policies that shape the backend handshake: set and remove headers and query parameters, rewrite the path, choose the backend. */
package io.wsgate.core.policy.backend;
