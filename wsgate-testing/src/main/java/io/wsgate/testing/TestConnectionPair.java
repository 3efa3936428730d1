package io.wsgate.testing;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.ConnectionPair;
import io.wsgate.api.Direction;
import io.wsgate.api.HandshakeRequest;

import java.net.URI;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiConsumer;

/** The pair a {@link MessagePolicyTester} opens: its counts are what the tester relayed. Test thread only. */
final class TestConnectionPair implements ConnectionPair {

    private final String id;
    private final String requestId;
    private final ApiDefinition api;
    private final HandshakeRequest request;
    private final Map<String, Object> attributes;
    private final Instant openedAt;
    private final Map<Direction, long[]> counts = new EnumMap<>(Direction.class);
    private final BiConsumer<Integer, String> onClose;
    private boolean closed;

    TestConnectionPair(String id, String requestId, ApiDefinition api, HandshakeRequest request,
                       Map<String, Object> attributes, Instant openedAt, BiConsumer<Integer, String> onClose) {
        this.id = id;
        this.requestId = requestId;
        this.api = api;
        this.request = request;
        this.attributes = Map.copyOf(attributes);
        this.openedAt = openedAt;
        this.onClose = onClose;
        for (Direction d : Direction.values()) {
            counts.put(d, new long[2]);
        }
    }

    void relayed(Direction direction, int bytes, boolean messageEnd) {
        long[] c = counts.get(direction);
        c[1] += bytes;
        if (messageEnd) {
            c[0]++;
        }
    }

    void markClosed() {
        closed = true;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String requestId() {
        return requestId;
    }

    @Override
    public ApiDefinition api() {
        return api;
    }

    @Override
    public HandshakeRequest request() {
        return request;
    }

    @Override
    public URI backendUri() {
        return api.backendUrl();
    }

    @Override
    public String subprotocol() {
        return "";
    }

    @Override
    public Map<String, Object> attributes() {
        return attributes;
    }

    @Override
    public Instant openedAt() {
        return openedAt;
    }

    @Override
    public long messages(Direction direction) {
        return counts.get(direction)[0];
    }

    @Override
    public long bytes(Direction direction) {
        return counts.get(direction)[1];
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close(int code, String reason) {
        onClose.accept(code, reason);
    }

    @Override
    public String toString() {
        return "TestConnectionPair[" + id + ", " + api.name() + "]";
    }
}
