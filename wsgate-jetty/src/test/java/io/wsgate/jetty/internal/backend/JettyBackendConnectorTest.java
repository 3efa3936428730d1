package io.wsgate.jetty.internal.backend;

import io.wsgate.api.BackendRequest;
import io.wsgate.api.Headers;
import io.wsgate.core.transport.BackendFailure;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class JettyBackendConnectorTest {

    private static final BackendRequest REQUEST = new BackendRequest(URI.create("ws://10.0.0.7:9000/x"), Headers.empty(), List.of());

    @Test
    void aBackendThatDoesNotAcceptTheConnectionInTimeIsUnreachableAndSoFailedOver() {
        // Jetty's TCP connect timeout, as websocket-core's client reports it: the host is down or
        // drops packets, as good as a refused connection (nginx's proxy_next_upstream does the same)
        assertThat(JettyBackendConnector.classify(REQUEST, new CompletionException(new SocketTimeoutException("Connect Timeout"))))
                .isInstanceOf(BackendFailure.Unreachable.class);
        assertThat(JettyBackendConnector.classify(REQUEST, new ConnectException("Connection refused")))
                .isInstanceOf(BackendFailure.Unreachable.class);
    }

    @Test
    void aBackendThatAcceptedButDidNotAnswerInTimeIsATimeout() {
        assertThat(JettyBackendConnector.classify(REQUEST, new TimeoutException("no backend handshake response within 10 ms")))
                .isInstanceOf(BackendFailure.Timeout.class);
        // the connection's own idle timeout, expired under a handshake (the connection closed with it as the cause)
        assertThat(JettyBackendConnector.classify(REQUEST, new java.io.IOException("the backend connection closed during the handshake",
                new TimeoutException("Idle timeout expired: 30000/30000 ms"))))
                .isInstanceOf(BackendFailure.Timeout.class);
    }
}
