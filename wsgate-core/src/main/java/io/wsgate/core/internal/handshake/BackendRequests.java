package io.wsgate.core.internal.handshake;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.BackendRequest;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.api.Headers;
import io.wsgate.core.transport.HandshakeRules;
import io.wsgate.core.transport.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Builds the gateway's handshake to the backend from the client's: backend URL + the rest of
 * the client's path + the query; end-to-end headers kept, hop-by-hop ones dropped (RFC 9110
 * section 7.6.1, including those the client's {@code Connection} header names, and the per-hop
 * WebSocket handshake headers); {@code X-Forwarded-For/-Proto/-Host} and {@code Forwarded}
 * appended; the client's offered subprotocols offered in turn.
 */
public final class BackendRequests {

    private static final Logger LOG = LoggerFactory.getLogger(BackendRequests.class);

    private BackendRequests() {
    }

    /**
     * @param api      the API reached
     * @param request  the client's request
     * @param restPath the raw rest of the path after the API's URL suffix
     * @return the backend request before policies
     */
    public static BackendRequest initial(ApiDefinition api, HandshakeRequest request, String restPath) {
        return initial(api, api.backendUrl(), request, restPath);
    }

    /**
     * @param api        the API reached
     * @param backendUrl one of the API's backend URLs
     * @param request    the client's request
     * @param restPath   the raw rest of the path after the API's URL suffix
     * @return the request to that backend before policies
     */
    public static BackendRequest initial(ApiDefinition api, java.net.URI backendUrl, HandshakeRequest request, String restPath) {
        return new BackendRequest(backendUri(backendUrl, restPath, request.query()),
                forwardedHeaders(request), request.offeredSubprotocols());
    }

    static URI backendUri(URI base, String restPath, String clientQuery) {
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        String path;
        if (restPath.isEmpty()) {
            path = basePath.isEmpty() ? "/" : basePath;
        } else if (basePath.endsWith("/")) {
            path = basePath + restPath.substring(1);
        } else {
            path = basePath + restPath;
        }
        String baseQuery = base.getRawQuery();
        String query;
        if (baseQuery == null || baseQuery.isEmpty()) {
            query = clientQuery;
        } else {
            query = clientQuery.isEmpty() ? baseQuery : baseQuery + "&" + clientQuery;
        }
        String s = base.getScheme() + "://" + base.getRawAuthority() + path + (query.isEmpty() ? "" : "?" + query);
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the client's path or query does not make a valid backend URI", e);
        }
    }

    /**
     * The API's failover backends, in order, each with the client's path and query and then {@code prepare}
     * applied (the policies' changes); a failover URL that cannot take the client's path or query is skipped,
     * with a warning that names it without any query.
     *
     * @param api       the API reached
     * @param request   the client's request
     * @param restPath  the raw rest of the path after the API's URL suffix
     * @param requestId the handshake's id, for the warning
     * @param prepare   what the admission did to the first backend request, done to each
     * @return the failover requests, maybe none
     */
    public static List<BackendRequest> failovers(ApiDefinition api, HandshakeRequest request, String restPath,
                                                 String requestId, UnaryOperator<BackendRequest> prepare) {
        List<BackendRequest> failovers = new ArrayList<>();
        for (URI url : api.failoverUrls()) {
            try {
                failovers.add(prepare.apply(initial(api, url, request, restPath)));
            } catch (IllegalArgumentException e) {
                LOG.warn("request {}: failover backend {} of API '{}' skipped: {}", requestId, LogSafe.uri(url), api.name(),
                        e.getMessage());
            }
        }
        return List.copyOf(failovers);
    }

    static Headers forwardedHeaders(HandshakeRequest request) {
        Headers in = request.headers();
        Set<String> dropped = new HashSet<>();
        for (String token : in.elements("Connection")) {
            dropped.add(token.toLowerCase(Locale.ROOT));
        }
        Headers.Builder out = Headers.builder();
        for (Headers.Field f : in.fields()) {
            String lower = f.name().toLowerCase(Locale.ROOT);
            if (dropped.contains(lower) || HandshakeRules.isHopByHop(lower)) {
                continue;
            }
            if (lower.equals("x-forwarded-for") || lower.equals("x-forwarded-proto")
                    || lower.equals("x-forwarded-host") || lower.equals("forwarded")) {
                continue;
            }
            out.add(f.name(), f.value());
        }
        InetSocketAddress client = request.clientAddress();
        String ip = client.getAddress() != null ? client.getAddress().getHostAddress() : client.getHostString();
        String proto = request.secure() ? "https" : "http";
        String host = request.host().orElse("");

        out.add("X-Forwarded-For", append(in.all("X-Forwarded-For"), ip));
        out.add("X-Forwarded-Proto", proto);
        if (!host.isEmpty()) {
            out.add("X-Forwarded-Host", host);
        }
        StringBuilder forwarded = new StringBuilder("for=").append(forwardedNode(client.getAddress(), ip));
        if (!host.isEmpty()) {
            forwarded.append(";host=").append(quoteIfNeeded(host));
        }
        forwarded.append(";proto=").append(proto);
        out.add("Forwarded", append(in.all("Forwarded"), forwarded.toString()));
        return out.build();
    }

    private static String append(List<String> existing, String value) {
        if (existing.isEmpty()) {
            return value;
        }
        return String.join(", ", existing) + ", " + value;
    }

    private static String forwardedNode(InetAddress address, String ip) {
        if (address instanceof Inet6Address) {
            return "\"[" + ip + "]\"";
        }
        return ip;
    }

    private static String quoteIfNeeded(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == '~')) {
                return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            }
        }
        return value;
    }
}
