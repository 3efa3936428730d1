package io.wsgate.jetty.internal;

import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
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
     * hold no read buffer ({@link io.wsgate.jetty.internal.relay.RelayConnection} releases it when it is empty), so this costs no
     * memory per pair.
     */
    public static final int INPUT_BUFFER_SIZE = 32 * 1024;

    private JettyTuning() {
    }

    /**
     * Resolves a backend given by an IP address on the calling thread (no lookup is needed), and a
     * host name through Jetty's asynchronous resolver, off the calling thread as before. Jetty's
     * default dispatches every resolution to its executor: one thread hand-off per backend
     * handshake, even for {@code 127.0.0.1}.
     */
    public static final class LiteralFirstResolver implements SocketAddressResolver {
        private final Supplier<SocketAddressResolver> names;
        private volatile SocketAddressResolver resolved;

        public LiteralFirstResolver(Supplier<SocketAddressResolver> names) {
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
