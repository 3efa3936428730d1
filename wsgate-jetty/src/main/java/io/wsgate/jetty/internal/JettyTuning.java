package io.wsgate.jetty.internal;

import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The adapter's speed-relevant Jetty settings, chosen from wsgate-bench's measurements (see
 * wsgate-bench/README.md, "Performance").
 */
public final class JettyTuning {

    /**
     * Bytes read from a relayed connection at once (websocket-core's default was 4 KiB). A frame
     * that does not fit in the read buffer is gathered into a second one (a copy, and more reads);
     * with 32 KiB, a 16 KiB frame arrives in one read and is relayed as a slice of it. Idle pairs
     * hold no read buffer ({@link RelayConnection} releases it when it is empty), so this costs no
     * memory per pair.
     */
    public static final int INPUT_BUFFER_SIZE = 32 * 1024;

    /**
     * Backend handshakes in flight at once to one backend (host and port), and handshakes queued
     * for one (Jetty's defaults: 64 and 1,024). Each backend handshake is a connection of its own
     * that leaves Jetty's pool once upgraded, so Jetty's 64 made the 65th user wait for an earlier
     * user's backend handshake to finish, and the 1,025th get a 502, however much the gateway
     * and the backend could take. How many users may be handshaking is the policies' business
     * (rate limits, quotas), not a pool's.
     */
    static final int BACKEND_HANDSHAKES_PER_BACKEND = 1 << 20;

    /**
     * How long the backend client keeps what it holds for one backend (host and port: a Jetty
     * destination with its connection pool) once it has no handshake with it. Jetty's default
     * keeps it forever, so a gateway whose policies pick backends per user (per tenant, per pod
     * address) would grow for as long as it runs.
     */
    static final Duration BACKEND_DESTINATION_IDLE = Duration.ofMinutes(1);

    private JettyTuning() {
    }

    /**
     * Resolves a backend given by an IP address on the calling thread (no lookup is needed), and a
     * host name through Jetty's asynchronous resolver, off the calling thread as before. Jetty's
     * default dispatches every resolution to its executor: one thread hand-off per backend
     * handshake, even for {@code 127.0.0.1}.
     */
    static final class LiteralFirstResolver implements SocketAddressResolver {
        private final Supplier<SocketAddressResolver> names;
        private volatile SocketAddressResolver resolved;

        LiteralFirstResolver(Supplier<SocketAddressResolver> names) {
            this.names = names;
        }

        @Override
        public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
            if (isIpLiteral(host)) {
                InetSocketAddress address;
                try {
                    // a literal: parsed, never looked up
                    address = new InetSocketAddress(InetAddress.getByName(host), port);
                } catch (Exception e) {
                    promise.failed(e);
                    return;
                }
                promise.succeeded(List.of(address));
                return;
            }
            SocketAddressResolver r = resolved;
            if (r == null) {
                r = names.get();
                resolved = r;
            }
            r.resolve(host, port, context, promise);
        }

        /** @return whether the host is an IPv4 dotted quad or an IPv6 address (bracketed or not) */
        static boolean isIpLiteral(String host) {
            if (host.isEmpty()) {
                return false;
            }
            if (host.indexOf(':') >= 0) {
                return true;
            }
            int dots = 0;
            int digits = 0;
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                if (c == '.') {
                    if (digits == 0) {
                        return false;
                    }
                    dots++;
                    digits = 0;
                } else if (c >= '0' && c <= '9' && digits < 3) {
                    digits++;
                } else {
                    return false;
                }
            }
            return dots == 3 && digits > 0;
        }
    }
}
