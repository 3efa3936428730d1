/**
 * The wsgate engine, transport-neutral: a {@link io.wsgate.core.Gateway} built from a
 * {@link io.wsgate.core.GatewayConfig} takes each client handshake a transport hands to
 * {@link io.wsgate.core.Gateway#handshake} through its steps (route, check, run policies, connect with
 * failover, upgrade, relay), logs every outcome in the access log and tells its
 * {@link io.wsgate.core.GatewayListener}s.
 */
package io.wsgate.core;
