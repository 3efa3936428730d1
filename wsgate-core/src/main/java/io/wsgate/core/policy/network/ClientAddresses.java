package io.wsgate.core.policy.network;

import io.wsgate.api.HandshakeRequest;
import io.wsgate.api.Headers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds a client's address: the peer's, or, when the peer is a trusted proxy, the nearest address in
 * {@code Forwarded} (preferred) or {@code X-Forwarded-For} that is not a trusted proxy. Forwarding headers from
 * an untrusted peer are ignored, so a client cannot choose its own address.
 */
public final class ClientAddresses {

    private static final ClientAddresses DIRECT = new ClientAddresses(List.of());

    private final List<Cidr> trusted;

    private ClientAddresses(List<Cidr> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /** @return a resolver that trusts no proxy: the peer's address is the client's */
    public static ClientAddresses direct() {
        return DIRECT;
    }

    /**
     * @param proxies addresses and CIDR ranges of the proxies in front of the gateway
     * @return a resolver that honours forwarding headers from those
     * @throws IllegalArgumentException naming an entry that is not an address or range
     */
    public static ClientAddresses trusting(String... proxies) {
        List<Cidr> list = new ArrayList<>();
        for (String p : proxies) {
            list.add(Cidr.parse(Objects.requireNonNull(p, "proxy")));
        }
        return new ClientAddresses(list);
    }

    /**
     * @param request the client's request
     * @return the client's address bytes; empty when it cannot be told (an unresolved peer, a malformed header)
     */
    public Optional<byte[]> resolve(HandshakeRequest request) {
        if (request.clientAddress().getAddress() == null) {
            return Optional.empty();
        }
        byte[] peer = request.clientAddress().getAddress().getAddress();
        if (!isTrusted(peer)) {
            return Optional.of(peer);
        }
        List<String> chain = forwardedChain(request);
        for (int i = chain.size() - 1; i >= 0; i--) {
            Optional<byte[]> hop = Cidr.literal(stripPort(chain.get(i)));
            if (hop.isEmpty()) {
                return Optional.empty();
            }
            if (!isTrusted(hop.get())) {
                return hop;
            }
        }
        return Optional.of(peer);
    }

    private boolean isTrusted(byte[] address) {
        for (Cidr c : trusted) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> forwardedChain(HandshakeRequest request) {
        List<String> out = new ArrayList<>();
        List<String> forwarded = request.headers().all("Forwarded");
        if (!forwarded.isEmpty()) {
            for (String header : forwarded) {
                for (String element : Headers.listElements(header)) {
                    for (String pair : element.split(";")) {
                        String p = pair.trim();
                        if (p.toLowerCase(Locale.ROOT).startsWith("for=")) {
                            String v = p.substring(4).trim();
                            if (v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2) {
                                v = v.substring(1, v.length() - 1);
                            }
                            out.add(v);
                        }
                    }
                }
            }
            return out;
        }
        out.addAll(request.headers().elements("X-Forwarded-For"));
        return out;
    }

    private static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end > 0 ? hop.substring(0, end + 1) : hop;
        }
        int colon = hop.indexOf(':');
        return colon > 0 && hop.indexOf(':', colon + 1) < 0 ? hop.substring(0, colon) : hop;
    }

    @Override
    public String toString() {
        return "ClientAddresses[trusted=" + trusted + "]";
    }
}
