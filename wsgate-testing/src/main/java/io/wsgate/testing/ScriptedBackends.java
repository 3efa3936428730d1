package io.wsgate.testing;

import io.wsgate.api.ApiLimits;
import io.wsgate.api.BackendRequest;
import io.wsgate.core.transport.BackendConnector;
import io.wsgate.core.transport.BackendOutcome;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link BackendConnector} that answers each connect with the next scripted outcome and records every
 * backend request the gateway made: to test failover, backend failures and what the policies sent, without a
 * backend. A connect beyond the script fails the test (an {@link AssertionError} on the gateway's thread,
 * which the gateway takes as an unreachable backend).
 *
 * <pre>{@code
 * ScriptedBackends backends = ScriptedBackends.answering(
 *         BackendOutcome.failed(new BackendFailure.Unreachable(new ConnectException("refused"))),
 *         BackendOutcome.connected(RecordingTransportSide.create(), ""));
 * gateway.handshake(request, "/chat", client, backends);
 * assertThat(backends.requests()).hasSize(2);   // the second backend was tried
 * }</pre>
 *
 * <p>Thread-safe: the gateway connects on its threads, the test reads on its own.
 */
public final class ScriptedBackends implements BackendConnector {

    private final List<BackendRequest> requests = new ArrayList<>();
    private final Deque<CompletionStage<BackendOutcome>> script;

    private ScriptedBackends(List<CompletionStage<BackendOutcome>> outcomes) {
        this.script = new ArrayDeque<>(outcomes);
    }

    /**
     * @param outcomes what each connect answers at once, in order
     * @return the connector
     */
    public static ScriptedBackends answering(BackendOutcome... outcomes) {
        List<CompletionStage<BackendOutcome>> stages = new ArrayList<>(outcomes.length);
        for (BackendOutcome o : outcomes) {
            stages.add(CompletableFuture.completedFuture(Objects.requireNonNull(o, "outcome")));
        }
        return new ScriptedBackends(stages);
    }

    /**
     * A connector whose connects answer when the test completes their stages: to do something while a backend
     * handshake is pending (advance a {@link ManualScheduler}, shut the gateway down).
     *
     * @param outcomes what each connect returns, in order; the test completes each when it chooses
     * @return the connector
     */
    @SafeVarargs
    public static ScriptedBackends answeringWhen(CompletionStage<BackendOutcome>... outcomes) {
        List<CompletionStage<BackendOutcome>> stages = new ArrayList<>(outcomes.length);
        for (CompletionStage<BackendOutcome> o : outcomes) {
            stages.add(Objects.requireNonNull(o, "outcome"));
        }
        return new ScriptedBackends(stages);
    }

    /** @return a connector the gateway must never call (the handshake is refused before any backend) */
    public static ScriptedBackends never() {
        return new ScriptedBackends(List.of());
    }

    /** Called by the gateway's exchange; records the request and answers the next scripted outcome. */
    @Override
    public CompletionStage<BackendOutcome> connect(BackendRequest request, ApiLimits limits) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(limits, "limits");
        CompletionStage<BackendOutcome> next;
        synchronized (script) {
            requests.add(request);
            next = script.poll();
        }
        if (next == null) {
            throw new AssertionError("unexpected backend connect to " + request.uri().getScheme() + "://"
                    + request.uri().getRawAuthority() + request.uri().getRawPath());
        }
        return next;
    }

    /** @return every backend request the gateway made, in order */
    public List<BackendRequest> requests() {
        synchronized (script) {
            return List.copyOf(requests);
        }
    }

    /** @return how many scripted outcomes no connect has taken yet */
    public int unanswered() {
        synchronized (script) {
            return script.size();
        }
    }
}
