/** {@link io.wsgate.micrometer.WsGateMetrics}: a gateway's handshakes, pairs, messages and closes as Micrometer meters. */
package io.wsgate.micrometer;
