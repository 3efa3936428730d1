package io.wsgate.core.transport;

import io.wsgate.api.Completion;
import io.wsgate.api.Frame;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A connection side that records what the gateway does with it: whether (and with which relay) it was
 * started, the frames written to it (each completed at once), and its closes ("code reason", or "abort").
 */
public final class RecordingSide implements TransportSide {

    /** Completes with the relay when the gateway starts this side. */
    public final CompletableFuture<PairRelay> started = new CompletableFuture<>();
    /** The frames written to this side, in order. */
    public final List<Frame> sent = Collections.synchronizedList(new ArrayList<>());
    /** The gateway's closes of this side, as "code reason", and "abort". */
    public final List<String> closes = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void start(PairRelay relay) {
        started.complete(relay);
    }

    @Override
    public void send(Frame frame, Completion done) {
        sent.add(frame);
        done.succeeded();
    }

    @Override
    public void close(int code, String reason) {
        closes.add(code + " " + reason);
    }

    @Override
    public void abort() {
        closes.add("abort");
    }
}
