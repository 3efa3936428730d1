/**
 * Micrometer meters of a wsgate gateway: {@link io.wsgate.micrometer.WsGateMetrics} makes the
 * {@code GatewayListener} that records them. Optional: neither core nor the Jetty adapter depends on Micrometer.
 */
// "requires-automatic": micrometer-core has no module descriptor, only an Automatic-Module-Name.
@SuppressWarnings("requires-automatic")
module io.wsgate.micrometer {
    // WsGateMetrics takes a MeterRegistry and Tags, and returns a GatewayListener.
    requires transitive io.wsgate.core;
    requires transitive micrometer.core;

    exports io.wsgate.micrometer;
}
