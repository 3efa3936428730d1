package io.wsgate.core.transport;

import io.wsgate.api.ApiLimits;
import io.wsgate.api.BackendRequest;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** A backend port that answers each connect with the next scripted outcome, and records every request. */
public final class ScriptedBackends implements BackendConnector {

    /** Every backend request the gateway made, in order. */
    public final List<BackendRequest> requests = new CopyOnWriteArrayList<>();
    private final Deque<CompletionStage<BackendOutcome>> script;

    private ScriptedBackends(List<CompletionStage<BackendOutcome>> outcomes) {
        this.script = new ArrayDeque<>(outcomes);
    }

    /** @param outcomes what each connect answers, in order */
    public static ScriptedBackends answering(BackendOutcome... outcomes) {
        List<CompletionStage<BackendOutcome>> stages = new java.util.ArrayList<>();
        for (BackendOutcome o : outcomes) {
            stages.add(CompletableFuture.completedFuture(o));
        }
        return new ScriptedBackends(stages);
    }

    /** @return a backend port the gateway must never call */
    public static ScriptedBackends never() {
        return new ScriptedBackends(Collections.emptyList());
    }

    @Override
    public synchronized CompletionStage<BackendOutcome> connect(BackendRequest request, ApiLimits limits) {
        requests.add(request);
        CompletionStage<BackendOutcome> next = script.poll();
        if (next == null) {
            throw new AssertionError("unexpected backend connect to " + request.uri());
        }
        return next;
    }
}
