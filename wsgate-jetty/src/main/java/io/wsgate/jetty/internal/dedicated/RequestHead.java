package io.wsgate.jetty.internal.dedicated;

import io.wsgate.api.HandshakeRequest;
import io.wsgate.api.Headers;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One request as Jetty's {@link HttpParser} reads it: the request line and the header fields, then a body, if
 * the client sent one, dropped (as Jetty's HTTP connection drops it before an upgrade), until the message is
 * complete (the parser stops there: what follows is the client's first frames), or the parser's refusal. Used by
 * the connection's reading thread only.
 */
final class RequestHead implements HttpParser.RequestHandler {

    private String method;
    private String target;
    private HttpVersion version;
    private final Headers.Builder headers = Headers.builder();
    private final List<String> subprotocols = new ArrayList<>(2);
    private String key = "";
    private boolean complete;
    private HttpException refused;

    @Override
    public void startRequest(String method, String uri, HttpVersion version) {
        this.method = method;
        this.target = uri;
        this.version = version;
    }

    @Override
    public void parsedHeader(HttpField field) {
        String value = field.getValue() == null ? "" : field.getValue();
        headers.add(field.getName(), value);
        if (field.getHeader() == HttpHeader.SEC_WEBSOCKET_SUBPROTOCOL) {
            for (String p : field.getValues()) {
                if (!p.isBlank()) {
                    subprotocols.add(p.trim());
                }
            }
        } else if (field.getHeader() == HttpHeader.SEC_WEBSOCKET_KEY) {
            key = value.trim();
        }
    }

    @Override
    public boolean headerComplete() {
        return false;
    }

    /** A body on an upgrade request means nothing: it is dropped. */
    @Override
    public boolean content(java.nio.ByteBuffer item) {
        return false;
    }

    @Override
    public boolean contentComplete() {
        return false;
    }

    @Override
    public boolean messageComplete() {
        complete = true;
        return true;
    }

    @Override
    public void earlyEOF() {
        // the client left before its head was complete: the connection closes, there is no one to answer
    }

    @Override
    public void badMessage(HttpException failure) {
        refused = failure;
    }

    /** @return whether the request is complete (its head, and its body if it had one) */
    boolean complete() {
        return complete;
    }

    /** @return the status the parser refused the request with (431, 414, 400...), or 0 when it did not */
    int refusedStatus() {
        if (refused == null) {
            return 0;
        }
        int code = refused.getCode();
        return code >= 400 && code < 600 ? code : HttpStatus.BAD_REQUEST_400;
    }

    /** @return the method of the request line */
    String method() {
        return method;
    }

    /** @return the client's {@code Sec-WebSocket-Key}, trimmed (the last one, if it sent several) */
    String key() {
        return key;
    }

    /**
     * The request as the gateway sees it, and the path it routes on, checked as Jetty's HTTP connection checks a
     * request target.
     *
     * @param remote     the client's address
     * @param secure     whether the connection is TLS
     * @param compliance what a request target must meet
     * @return the request
     * @throws IllegalArgumentException when the target or a header is one the gateway cannot take (400)
     */
    Parsed toRequest(SocketAddress remote, boolean secure, UriCompliance compliance) {
        HttpURI uri = HttpURI.from(method, target);
        String violation = UriCompliance.checkUriCompliance(compliance, uri, null);
        if (violation != null || uri.getCanonicalPath() == null) {
            throw new IllegalArgumentException("request target refused: " + (violation == null ? "not a path" : violation));
        }
        InetSocketAddress client = remote instanceof InetSocketAddress isa ? isa : InetSocketAddress.createUnresolved("0.0.0.0", 0);
        String query = uri.getQuery();
        String path = uri.getPath();
        HandshakeRequest request = new HandshakeRequest(method, path == null ? "/" : path, query == null ? "" : query,
                headers.build(), client, secure, subprotocols, version == null ? "" : version.asString());
        return new Parsed(request, uri.getCanonicalPath());
    }

    /**
     * @param request     the request
     * @param pathInMount the path the gateway routes on (the decoded, normalized path: a Handler's path in context)
     */
    record Parsed(HandshakeRequest request, String pathInMount) {
    }
}
