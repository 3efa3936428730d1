package io.wsgate.testing;

import io.wsgate.api.Completion;
import io.wsgate.api.Frame;
import io.wsgate.core.transport.PairRelay;
import io.wsgate.core.transport.Peer;
import io.wsgate.core.transport.SideEnd;
import io.wsgate.core.transport.TransportSide;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link TransportSide} that records what the gateway does with it, for tests of policies, listeners and
 * transports that need a pair without sockets: whether (and with which relay) it was started, every frame
 * written to it, and its closes. Give one as the client's side to {@link RecordingClientHandshake#upgradingTo}
 * and one as the backend's to {@link ScriptedBackends}; then drive the pair with {@link PairRelay#forward} and
 * {@link PairRelay#ended}, as a transport would.
 *
 * <pre>{@code
 * RecordingTransportSide client = RecordingTransportSide.create();
 * RecordingTransportSide backend = RecordingTransportSide.create();
 * gateway.handshake(request, "/chat", RecordingClientHandshake.upgradingTo(client),
 *         ScriptedBackends.answering(BackendOutcome.connected(backend, "")));
 * PairRelay relay = client.relay().orElseThrow();
 * relay.forward(Direction.CLIENT_TO_BACKEND, frame, done);
 * assertThat(backend.sent()).containsExactly(frame);
 * }</pre>
 *
 * <p>A write completes at once ({@link #create()}), or is held until the test completes it
 * ({@link #holdingWrites()}, then {@link #completeNextWrite()} or {@link #failNextWrite}), to test what
 * happens while a frame is in flight. The gateway calls this side from its threads and the test reads it from
 * its own: every method is thread-safe, and what it returns is a snapshot.
 */
public final class RecordingTransportSide implements TransportSide {

    /** What {@link #closes()} records for an {@link #abort()}. */
    public static final String ABORT = "abort";

    private final Object lock = new Object();
    private final CompletableFuture<PairRelay> started = new CompletableFuture<>();
    private final List<Frame> sent = new ArrayList<>();
    private final List<String> closes = new ArrayList<>();
    private final List<ByteBuffer> pings = new ArrayList<>();
    private final Deque<Completion> held = new ArrayDeque<>();
    private final boolean holdWrites;
    private final Peer endsWhenClosed;
    private int aborts;

    private RecordingTransportSide(boolean holdWrites, Peer endsWhenClosed) {
        this.holdWrites = holdWrites;
        this.endsWhenClosed = endsWhenClosed;
    }

    /** @return a side whose every write completes at once */
    public static RecordingTransportSide create() {
        return new RecordingTransportSide(false, null);
    }

    /** @return a side that holds every write until the test completes or fails it */
    public static RecordingTransportSide holdingWrites() {
        return new RecordingTransportSide(true, null);
    }

    /**
     * A side whose transport reports its end from inside {@link #close}, as one whose close completes at once
     * does: the gateway's close of it is answered, on the same thread and before {@code close} returns, with
     * {@link PairRelay#ended} of a {@link SideEnd.Kind#CLOSED} end with the same code and reason.
     *
     * @param peer which side of the pair this is
     * @return a side whose writes complete at once
     */
    public static RecordingTransportSide endingWhenClosed(Peer peer) {
        return new RecordingTransportSide(false, Objects.requireNonNull(peer, "peer"));
    }

    /** Called by the gateway when the pair is established; records the relay. */
    @Override
    public void start(PairRelay relay) {
        started.complete(Objects.requireNonNull(relay, "relay"));
    }

    /** Called by the relay; records the frame, then completes the write at once or holds it. */
    @Override
    public void send(Frame frame, Completion done) {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(done, "done");
        synchronized (lock) {
            sent.add(frame);
            if (holdWrites) {
                held.add(done);
                return;
            }
        }
        done.succeeded();
    }

    /** Called by the gateway (its keepalive); records the ping's payload, apart from the relayed frames. */
    @Override
    public void ping(ByteBuffer payload) {
        Objects.requireNonNull(payload, "payload");
        synchronized (lock) {
            pings.add(payload.asReadOnlyBuffer());
        }
    }

    /** Called by the gateway; records {@code "code reason"}. */
    @Override
    public void close(int code, String reason) {
        synchronized (lock) {
            closes.add(code + " " + reason);
        }
        if (endsWhenClosed != null) {
            relay().ifPresent(r -> r.ended(endsWhenClosed, new SideEnd(SideEnd.Kind.CLOSED, code, reason)));
        }
    }

    /** Called by the gateway; records {@link #ABORT}. */
    @Override
    public void abort() {
        synchronized (lock) {
            closes.add(ABORT);
            aborts++;
        }
    }

    /**
     * @return completes with the pair's relay when the gateway starts this side; the test may wait on it, not
     *         complete it
     */
    public CompletableFuture<PairRelay> started() {
        return started.copy();
    }

    /** @return the pair's relay, once the gateway has started this side */
    public Optional<PairRelay> relay() {
        return Optional.ofNullable(started.getNow(null));
    }

    /** @return the frames written to this side, in order (the held writes too) */
    public List<Frame> sent() {
        synchronized (lock) {
            return List.copyOf(sent);
        }
    }

    /**
     * @return the payloads of the gateway's own pings to this side (its keepalive), in order, as text; they are not
     *         in {@link #sent()}
     */
    public List<String> pings() {
        synchronized (lock) {
            return pings.stream().map(p -> StandardCharsets.UTF_8.decode(p.duplicate()).toString()).toList();
        }
    }

    /** @return the gateway's closes of this side, in order: {@code "code reason"}, and {@link #ABORT} */
    public List<String> closes() {
        synchronized (lock) {
            return List.copyOf(closes);
        }
    }

    /** @return how many times the gateway aborted this side */
    public int aborts() {
        synchronized (lock) {
            return aborts;
        }
    }

    /** @return how many writes are held, not yet completed or failed */
    public int heldWrites() {
        synchronized (lock) {
            return held.size();
        }
    }

    /**
     * Completes the oldest held write, on the calling thread (the relay may forward the next frame from it).
     *
     * @throws IllegalStateException when no write is held
     */
    public void completeNextWrite() {
        nextHeld().succeeded();
    }

    /**
     * Fails the oldest held write, on the calling thread.
     *
     * @param cause why the write failed, e.g. an {@code IOException}
     * @throws IllegalStateException when no write is held
     */
    public void failNextWrite(Throwable cause) {
        Objects.requireNonNull(cause, "cause");
        nextHeld().failed(cause);
    }

    private Completion nextHeld() {
        synchronized (lock) {
            Completion next = held.poll();
            if (next == null) {
                throw new IllegalStateException("no write is held" + (holdWrites ? "" : ": this side completes its writes at once"));
            }
            return next;
        }
    }

    @Override
    public String toString() {
        return "RecordingTransportSide[sent=" + sent().size() + ", closes=" + closes() + "]";
    }
}
