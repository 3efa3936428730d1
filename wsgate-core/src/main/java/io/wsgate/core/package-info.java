/**
 * The wsgate engine, transport-neutral: a {@link io.wsgate.core.Gateway} built from a
 * {@link io.wsgate.core.GatewayConfig} takes each client handshake through an
 * {@link io.wsgate.core.Exchange} (route, validate, run policies, connect, relay) and reports
 * every outcome in the access log; transport adapters drive it.
 */
package io.wsgate.core;
