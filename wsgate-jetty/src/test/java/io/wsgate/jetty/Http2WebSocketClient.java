package io.wsgate.jetty;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpUpgrader;
import org.eclipse.jetty.client.ProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

/**
 * The tests' WebSocket client over HTTP/2 (RFC 8441, h2c): Jetty's {@link WebSocketCoreClient} on
 * an {@link HttpClient} with the HTTP/2 transport, with the workaround below.
 *
 * <p><b>Why a workaround.</b> In Jetty 12.1.12 the client's {@code HttpReceiverOverHTTP2.onResponse}
 * handles the 200 to the extended CONNECT in this order: it installs the tunnel's end point and
 * upgrades it (the WebSocket session opens and {@code connect()}'s future completes, so the
 * application may send at once), and only then calls {@code responseHeaders}, which hands the
 * response's content to its listeners; a request with none (as the WebSocket upgrade request) gets
 * a default listener that reads and discards all content. That read takes DATA frames from the
 * tunnel's stream. Whatever the server sent in between (the echo of a first message sent the moment
 * the future completed, or a server's greeting) is lost: the session never sees it. The handler
 * here replaces the listeners of a successful tunnel's response with one that never reads its content,
 * so the stream's data is left to the tunnel's end point. (A successful upgrade needs none of the
 * upgrade request's own response listeners: it completes in the upgrade, not on the response.)
 */
final class Http2WebSocketClient {

    private Http2WebSocketClient() {
    }

    /** @return a started client that speaks WebSocket over HTTP/2 with prior knowledge (h2c) */
    static WebSocketCoreClient start() throws Exception {
        WebSocketCoreClient client = new WebSocketCoreClient(new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client())), null);
        client.getHttpClient().getProtocolHandlers().put(new TunnelContentLeftToTheTunnel());
        client.start();
        return client;
    }

    /** For a successful WebSocket tunnel: a response listener that leaves the stream's data alone. */
    private static final class TunnelContentLeftToTheTunnel implements ProtocolHandler {
        @Override
        public String getName() {
            return "websocket-tunnel-content";
        }

        @Override
        public boolean accept(Request request, Response response) {
            return HttpMethod.CONNECT.is(request.getMethod()) && response.getStatus() == HttpStatus.OK_200
                    && "websocket".equals(request.getAttributes().get(HttpUpgrader.PROTOCOL_ATTRIBUTE));
        }

        @Override
        public Response.Listener getResponseListener() {
            return new Response.Listener() {
                @Override
                public void onContentSource(Response response, Content.Source content) {
                    // the tunnel's end point reads the stream; reading here would take its frames
                }
            };
        }
    }
}
