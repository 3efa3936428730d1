package io.wsgate.testing;

import io.wsgate.api.ApiLimits;
import io.wsgate.core.transport.ClientHandshake;
import io.wsgate.core.transport.ErrorResponse;
import io.wsgate.core.transport.TransportSide;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link ClientHandshake} that records how the gateway answered one client: with an error response, or with
 * an upgrade (and its subprotocol) to a given client side. Hand it to
 * {@link io.wsgate.core.Gateway#handshake}; it fails the test (an {@link AssertionError} on the gateway's
 * thread) if the gateway answers twice.
 *
 * <pre>{@code
 * RecordingClientHandshake client = RecordingClientHandshake.leaving();
 * gateway.handshake(HandshakeRequest.builder().path("/nowhere").build(), "/nowhere", client, ScriptedBackends.never());
 * assertThat(client.awaitRejection().status()).isEqualTo(404);
 * }</pre>
 *
 * <p>Thread-safe: the gateway answers on its thread, the test reads on its own.
 */
public final class RecordingClientHandshake implements ClientHandshake {

    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

    private final CompletableFuture<ErrorResponse> rejected = new CompletableFuture<>();
    private final CompletableFuture<String> upgradedWith = new CompletableFuture<>();
    private final CompletableFuture<TransportSide> side;

    private RecordingClientHandshake(CompletableFuture<TransportSide> side) {
        this.side = side;
    }

    /**
     * @param client the client's side an upgrade opens (e.g. a {@link RecordingTransportSide})
     * @return a client whose upgrade succeeds
     */
    public static RecordingClientHandshake upgradingTo(TransportSide client) {
        return new RecordingClientHandshake(CompletableFuture.completedFuture(Objects.requireNonNull(client, "client")));
    }

    /**
     * @return a client whose upgrade fails, as one that left before its 101 was written (the gateway then
     *         closes the backend); a rejection is recorded as usual
     */
    public static RecordingClientHandshake leaving() {
        return new RecordingClientHandshake(CompletableFuture.failedFuture(new IOException("client left")));
    }

    /** Called by the gateway; records the response. */
    @Override
    public void reject(ErrorResponse response) {
        Objects.requireNonNull(response, "response");
        if (!rejected.complete(response) || upgradedWith.isDone()) {
            throw new AssertionError("the gateway answered the client twice");
        }
    }

    /** Called by the gateway; records the subprotocol and opens the client's side (or fails, for {@link #leaving()}). */
    @Override
    public CompletableFuture<TransportSide> upgrade(String subprotocol, ApiLimits limits) {
        Objects.requireNonNull(subprotocol, "subprotocol");
        Objects.requireNonNull(limits, "limits");
        if (!upgradedWith.complete(subprotocol) || rejected.isDone()) {
            throw new AssertionError("the gateway answered the client twice");
        }
        return side.copy();
    }

    /** @return completes with the error response when the gateway rejects the client; the test waits on it */
    public CompletableFuture<ErrorResponse> rejected() {
        return rejected.copy();
    }

    /** @return completes with the subprotocol when the gateway upgrades the client; the test waits on it */
    public CompletableFuture<String> upgradedWith() {
        return upgradedWith.copy();
    }

    /** @return the error response, if the gateway has rejected the client by now */
    public Optional<ErrorResponse> rejection() {
        return Optional.ofNullable(rejected.getNow(null));
    }

    /**
     * Waits up to 5 s for the gateway to reject the client.
     *
     * @return the error response
     * @throws AssertionError when the gateway upgraded the client, or answered nothing within 5 s
     */
    public ErrorResponse awaitRejection() {
        return awaitRejection(DEFAULT_WAIT);
    }

    /**
     * Waits for the gateway to reject the client.
     *
     * @param timeout how long to wait
     * @return the error response
     * @throws AssertionError when the gateway upgraded the client, or answered nothing in time
     */
    public ErrorResponse awaitRejection(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        CompletableFuture<Object> answer = CompletableFuture.anyOf(rejected, upgradedWith);
        try {
            answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the gateway did not answer the client within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the gateway's answer", e);
        } catch (ExecutionException e) {
            throw new AssertionError("the gateway's answer failed", e.getCause());
        }
        return rejection().orElseThrow(() ->
                new AssertionError("expected a rejection, but the gateway upgraded the client with '" + upgradedWith.join() + "'"));
    }
}
