/** The load driver: Jetty websocket-core client connections and the four load modes (throughput, fixed rate, handshakes, concurrency). */
package io.wsgate.bench.driver;
