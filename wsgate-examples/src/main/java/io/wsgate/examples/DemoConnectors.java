package io.wsgate.examples;

import io.wsgate.jetty.WsGateConnectionFactory;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.nio.file.Path;

/**
 * The demo gateway's connector: plain HTTP/1.1, or TLS with HTTP/2 and HTTP/1.1 offered through ALPN; or, with
 * {@code --connector dedicated}, the gateway's own connection factory, plain or behind TLS (HTTP/1.1 only).
 */
final class DemoConnectors {

    private DemoConnectors() {
    }

    /** @return a connector for {@code ws://}; no acceptor thread: the selector accepts (see DemoGateway) */
    static ServerConnector plain(Server server) {
        return new ServerConnector(server, 0, -1);
    }

    /**
     * A connector for {@code wss://}: TLS with the key store's key and certificate; ALPN offers {@code h2} (with
     * RFC 8441's extended CONNECT enabled, so that a browser may open its WebSockets on an HTTP/2 connection) and
     * {@code http/1.1} (RFC 6455 upgrades), the latter for clients that offer no ALPN.
     *
     * @param keyStore a PKCS12 file
     * @param password its password (and the key's)
     */
    static ServerConnector tls(Server server, Path keyStore, String password) {
        SslContextFactory.Server ssl = sslContext(keyStore, password);
        ssl.setCipherComparator(HTTP2Cipher.COMPARATOR); // h2 refuses the ciphers of its block list (RFC 9113 9.2.2)
        HttpConfiguration http = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false); // a certificate for a name still serves a client that connects by address
        http.addCustomizer(secure);
        HttpConnectionFactory h1 = new HttpConnectionFactory(http);
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
        h2.setConnectProtocolEnabled(true);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(h2.getProtocol(), h1.getProtocol());
        alpn.setDefaultProtocol(h1.getProtocol());
        return new ServerConnector(server, 0, -1, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2, h1);
    }

    /** @return a connector for {@code ws://} that serves the gateway only, through its own connection factory */
    static ServerConnector dedicated(Server server, WsGateConnectionFactory gateway) {
        return new ServerConnector(server, 0, -1, gateway);
    }

    /**
     * @return a connector for {@code wss://} that serves the gateway only: TLS (no ALPN: HTTP/1.1 is all there is),
     *         then the gateway's own connection factory
     */
    static ServerConnector dedicatedTls(Server server, Path keyStore, String password, WsGateConnectionFactory gateway) {
        return new ServerConnector(server, 0, -1, new SslConnectionFactory(sslContext(keyStore, password), gateway.getProtocol()),
                gateway);
    }

    private static SslContextFactory.Server sslContext(Path keyStore, String password) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(keyStore.toAbsolutePath().toString());
        ssl.setKeyStoreType("PKCS12");
        ssl.setKeyStorePassword(password);
        return ssl;
    }
}
