package io.wsgate.jetty.internal.backend;

import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Resolves a backend given by an IP address on the calling thread (no lookup is needed), and a
 * host name through Jetty's asynchronous resolver, off the calling thread as before. Jetty's
 * default dispatches every resolution to its executor: one thread hand-off per backend
 * handshake, even for {@code 127.0.0.1}. Chosen from wsgate-bench's measurements (wsgate-bench/README.md,
 * "Performance"). Called on the thread that connects to a backend.
 */
final class LiteralFirstResolver implements SocketAddressResolver {
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
