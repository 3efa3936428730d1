package io.wsgate.core.transport;

import io.wsgate.api.ApiLimits;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** A client port that records what the gateway answered: an error response, or an upgrade to a given side. */
public final class RecordingClientHandshake implements ClientHandshake {

    /** Completes with the error response, if the gateway rejects. */
    public final CompletableFuture<ErrorResponse> rejected = new CompletableFuture<>();
    /** Completes with the subprotocol, if the gateway upgrades. */
    public final CompletableFuture<String> upgradedWith = new CompletableFuture<>();
    private final CompletableFuture<TransportSide> side;

    private RecordingClientHandshake(CompletableFuture<TransportSide> side) {
        this.side = side;
    }

    /** @param client the client's side an upgrade opens */
    public static RecordingClientHandshake upgradingTo(TransportSide client) {
        return new RecordingClientHandshake(CompletableFuture.completedFuture(client));
    }

    /** @return a client whose upgrade fails (it left before the 101 was written) */
    public static RecordingClientHandshake leaving() {
        return new RecordingClientHandshake(CompletableFuture.failedFuture(new java.io.IOException("client left")));
    }

    @Override
    public void reject(ErrorResponse response) {
        if (!rejected.complete(response) || upgradedWith.isDone()) {
            throw new AssertionError("the gateway answered the client twice");
        }
    }

    @Override
    public CompletionStage<TransportSide> upgrade(String subprotocol, ApiLimits limits) {
        if (!upgradedWith.complete(subprotocol) || rejected.isDone()) {
            throw new AssertionError("the gateway answered the client twice");
        }
        return side;
    }

    /** @return the error response, waiting up to 5 s for it */
    public ErrorResponse awaitRejection() throws Exception {
        return rejected.get(5, TimeUnit.SECONDS);
    }
}
