package io.wsgate.bench.orchestrator;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Something the driver measures: the echo backend itself (direct), wsgate, nginx, or a peer.
 *
 * @param name    its name in the tables
 * @param kind    what it is
 * @param uri     the WebSocket URL the driver connects to
 * @param jwtUri  the URL for the handshake-with-JWT mode (the same unless wsgate has a JWT route)
 * @param pids    the processes whose CPU time and memory count as the proxy's (none for direct)
 * @param jvmPid  the JVM to ask for heap figures, when the proxy is one
 * @param process the process the orchestrator started for it (its liveness and its log), if it did
 */
public record Target(String name, Kind kind, URI uri, URI jwtUri, Supplier<List<Long>> pids, Optional<Long> jvmPid,
                     Optional<Launched> process) {

    /** What a target is. */
    public enum Kind {
        /** The echo backend, with nothing in front. */
        DIRECT,
        /** wsgate's demo gateway in its own JVM ({@code wsgate} or a variant). */
        WSGATE,
        /** nginx started by the orchestrator. */
        NGINX,
        /** Any proxy given by its URL. */
        PEER
    }

    /** Checks the fields. */
    public Target {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(jwtUri, "jwtUri");
        Objects.requireNonNull(pids, "pids");
        Objects.requireNonNull(jvmPid, "jvmPid");
        Objects.requireNonNull(process, "process");
    }

    /** @return whether the proxy's processes are known (CPU and memory can be reported) */
    public boolean measurable() {
        return !pids.get().isEmpty();
    }

    /** @return whether ratios to this target are printed (direct and every peer, nginx included) */
    public boolean isReference() {
        return kind != Kind.WSGATE;
    }
}
