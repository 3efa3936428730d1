package io.wsgate.core;

import io.wsgate.api.HandshakeContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Gateway#diagnose} found: how the gateway would answer a handshake, up to (never including) the backend
 * connection. It holds only what the client itself would see, and which step decided: never a secret, a token, the
 * backend's address or a policy's exception.
 *
 * @param requestId   the id the diagnosis ran under (in error bodies; never in the access log: nothing is logged)
 * @param api         the API the path reached; empty when none
 * @param stage       the step that decided
 * @param policy      the name of the policy that rejected or failed, for {@link Stage#POLICY}; empty otherwise
 * @param status      the HTTP status the client would get: 101 when admitted (if the backend then accepts), else the
 *                    error's (with the API's overrides)
 * @param code        the error code the client would get; {@value HandshakeOutcome#NO_ERROR} when admitted
 * @param message     the message the client's error body would hold (the policy's, or the gateway's table);
 *                    empty when admitted
 * @param subprotocol the subprotocol the gateway would answer with when the backend chooses none (a browser's
 *                    marker, {@link ClientSubprotocol}); empty for none
 * @param notes       what the policies explained with {@link #explain} (e.g. validate-jwt's reason for refusing a
 *                    token, which the client itself is never told), in order
 */
public record Diagnosis(String requestId, String api, Stage stage, String policy, int status, String code, String message,
                        String subprotocol, List<String> notes) {

    /**
     * The attribute that holds a diagnosis's notes while its chain runs; absent from a real handshake's attributes.
     * Policies use {@link #explain} rather than this.
     */
    public static final String NOTES_ATTRIBUTE = "wsgate.diagnosis.notes";
    /** The most notes a diagnosis keeps, and the longest note (in characters). */
    private static final int MAX_NOTES = 16;
    private static final int MAX_NOTE = 300;

    /**
     * Explains a decision to a diagnosis ({@link Gateway#diagnose}), and does nothing in a real handshake: what a
     * policy may tell a developer at a test console but not the client (why a token was refused). Never pass a
     * secret or a token. Called by a policy, on the thread that runs it.
     *
     * @param context the context the policy was given
     * @param note    one short sentence
     */
    public static void explain(HandshakeContext context, String note) {
        if (context.attributes().get(NOTES_ATTRIBUTE) instanceof Notes notes) {
            notes.add(note);
        }
    }

    /** The notes of one diagnosis being made; thread-safe, bounded. */
    static final class Notes {
        private final List<String> list = new ArrayList<>();

        synchronized void add(String note) {
            if (list.size() < MAX_NOTES) {
                list.add(note.length() > MAX_NOTE ? note.substring(0, MAX_NOTE) + "..." : note);
            }
        }

        synchronized List<String> list() {
            return List.copyOf(list);
        }
    }

    /** The step of the handshake that decided. */
    public enum Stage {
        /** No API matches the path (404). */
        ROUTE,
        /** The gateway is draining (503). */
        DRAIN,
        /** The request is no well-formed WebSocket upgrade (426, 400, 405). */
        UPGRADE,
        /** The API does not accept the scheme, ws or wss (403). */
        SCHEME,
        /** The subscription key is missing or belongs to no product of the API (401). */
        SUBSCRIPTION,
        /** A policy of the API's chain rejected the handshake, failed or did not decide in time. */
        POLICY,
        /** Every check and policy let the handshake through: the gateway would now connect the backend. */
        ADMITTED
    }

    /** Checks every field. */
    public Diagnosis {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(subprotocol, "subprotocol");
        notes = List.copyOf(notes);
        if (stage == Stage.ADMITTED ? status != 101 : status < 400 || status > 599) {
            throw new IllegalArgumentException("status " + status + " does not fit stage " + stage);
        }
    }

    /** @return true when the handshake would reach the backend */
    public boolean admitted() {
        return stage == Stage.ADMITTED;
    }
}
