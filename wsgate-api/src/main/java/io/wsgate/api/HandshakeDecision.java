package io.wsgate.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link HandshakePolicy} decided: {@link Proceed} (possibly with changes to the backend
 * handshake and attributes for later policies) or {@link Reject} (an HTTP response to the client;
 * no backend connection is made). A rejection is a value, never an exception.
 */
public sealed interface HandshakeDecision {

    /** @return a decision to go on to the next policy with nothing changed */
    static Proceed proceed() {
        return Proceed.UNCHANGED;
    }

    /**
     * @param status  the HTTP status, 400 to 599
     * @param code    the error code in the response body and the access log, e.g. {@code FORBIDDEN}
     * @param message a short message for the client; never internal detail
     * @return a rejection whose body the gateway renders from its error template
     */
    static Reject reject(int status, String code, String message) {
        return new Reject(status, code, message, Headers.empty(), "");
    }

    /**
     * Go on to the next policy.
     *
     * @param changes    changes to the backend handshake, applied in order
     * @param attributes attributes for later policies and the pair (they replace any of the same name)
     */
    record Proceed(List<BackendChange> changes, Map<String, Object> attributes) implements HandshakeDecision {

        private static final Proceed UNCHANGED = new Proceed(List.of(), Map.of());

        /** Copies the lists. */
        public Proceed {
            changes = List.copyOf(changes);
            attributes = Map.copyOf(attributes);
        }

        /** @return this decision with one more change */
        public Proceed with(BackendChange change) {
            List<BackendChange> list = new ArrayList<>(changes);
            list.add(Objects.requireNonNull(change, "change"));
            return new Proceed(list, attributes);
        }

        /** @return this decision, also setting a header of the backend handshake */
        public Proceed withHeader(String name, String value) {
            return with(new BackendChange.SetHeader(name, value));
        }

        /** @return this decision, also removing a header from the backend handshake */
        public Proceed withoutHeader(String name) {
            return with(new BackendChange.RemoveHeader(name));
        }

        /** @return this decision, also setting a query parameter of the backend handshake */
        public Proceed withQueryParameter(String name, String value) {
            return with(new BackendChange.SetQueryParameter(name, value));
        }

        /** @return this decision, also removing a query parameter from the backend handshake */
        public Proceed withoutQueryParameter(String name) {
            return with(new BackendChange.RemoveQueryParameter(name));
        }

        /** @return this decision, also replacing the backend path */
        public Proceed withPath(String rawPath) {
            return with(new BackendChange.RewritePath(rawPath));
        }

        /** @return this decision, also choosing another backend server (scheme, host, port) */
        public Proceed withBackend(URI origin) {
            return with(new BackendChange.SetBackend(origin));
        }

        /** @return this decision with one more attribute for later policies */
        public Proceed withAttribute(String name, Object value) {
            Map<String, Object> map = new HashMap<>(attributes);
            map.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return new Proceed(changes, map);
        }
    }

    /**
     * Refuse the handshake with an HTTP response.
     *
     * @param status  the HTTP status, 400 to 599
     * @param code    the error code, e.g. {@code UNAUTHORIZED}: upper case letters, digits and '_'
     * @param message a short message for the client
     * @param headers headers to add to the response (e.g. {@code WWW-Authenticate}, {@code Retry-After})
     * @param body    the literal response body; empty to have the gateway render its error template
     *                ({@code {"error":..., "message":..., "requestId":...}})
     */
    record Reject(int status, String code, String message, Headers headers, String body) implements HandshakeDecision {

        /** Checks every field. */
        public Reject {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("a rejection's status must be 400 to 599, got " + status);
            }
            Objects.requireNonNull(code, "code");
            if (!code.matches("[A-Z][A-Z0-9_]*")) {
                throw new IllegalArgumentException("error code '" + code + "' must be upper case letters, digits and '_'");
            }
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(headers, "headers");
            Objects.requireNonNull(body, "body");
        }

        /** @return this rejection with one more response header */
        public Reject withHeader(String name, String value) {
            return new Reject(status, code, message, headers.plus(name, value), body);
        }

        /** @return this rejection with a literal body instead of the gateway's error template */
        public Reject withBody(String body) {
            return new Reject(status, code, message, headers, body);
        }
    }
}
