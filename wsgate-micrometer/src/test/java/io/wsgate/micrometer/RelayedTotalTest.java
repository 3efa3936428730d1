package io.wsgate.micrometer;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.ConnectionPair;
import io.wsgate.api.Direction;
import io.wsgate.api.HandshakeRequest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The function behind wsgate.messages and wsgate.bytes: closed plus live, never counted twice, never going back. */
class RelayedTotalTest {

    /** A pair whose inbound message count the test sets. */
    private static final class CountingPair implements ConnectionPair {
        volatile long messages;

        @Override public String id() { return "c1"; }
        @Override public String requestId() { return "r1"; }
        @Override public ApiDefinition api() { return ApiDefinition.builder("echo").backend("ws://127.0.0.1:9/").urlSuffix("/echo").build(); }
        @Override public HandshakeRequest request() { return HandshakeRequest.builder().path("/echo").build(); }
        @Override public URI backendUri() { return URI.create("ws://127.0.0.1:9/"); }
        @Override public String subprotocol() { return ""; }
        @Override public Map<String, Object> attributes() { return Map.of(); }
        @Override public Instant openedAt() { return Instant.EPOCH; }
        @Override public long messages(Direction direction) { return direction == Direction.CLIENT_TO_BACKEND ? messages : 0; }
        @Override public long bytes(Direction direction) { return 0; }
        @Override public boolean isClosed() { return false; }
        @Override public void close(int code, String reason) { }
    }

    @Test
    void aClosingPairIsNeverCountedTwiceNorLessThanBefore() {
        Set<ConnectionPair> live = ConcurrentHashMap.newKeySet();
        RelayedTotal total = new RelayedTotal(live, p -> p.messages(Direction.CLIENT_TO_BACKEND));
        CountingPair first = new CountingPair();
        CountingPair second = new CountingPair();
        live.add(first);
        live.add(second);

        first.messages = 3;
        second.messages = 4;
        assertThat(total.value()).as("the live pairs' counts").isEqualTo(7);

        first.messages = 5;
        live.remove(first);
        assertThat(total.value()).as("between the removal and the final count: not less than before").isEqualTo(7);
        total.pairClosed(first);
        assertThat(total.value()).as("the final count once, beside the live pair").isEqualTo(9);

        live.remove(second);
        total.pairClosed(second);
        assertThat(total.value()).isEqualTo(9);
        assertThat(total.value()).isEqualTo(9);
    }
}
