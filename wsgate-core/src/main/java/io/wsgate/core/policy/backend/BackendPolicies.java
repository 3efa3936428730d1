package io.wsgate.core.policy.backend;

import io.wsgate.api.BackendChange;
import io.wsgate.api.HandshakeContext;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.api.Headers;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The policies that shape the backend handshake: set-header, remove-header, set-query-parameter,
 * rewrite-path and set-backend. Values are templates filled from the handshake:
 * {@code ${claim.NAME}} (from {@link io.wsgate.core.policy.jwt.JwtValidation}), {@code ${header.NAME}}, {@code ${query.NAME}},
 * {@code ${attribute.NAME}}, {@code ${client.ip}}, {@code ${requestId}}, {@code ${api}} and, in a path,
 * {@code ${backend.path}}. When a placeholder has no value (no such claim), the policy changes nothing;
 * a value holding a line break is never sent.
 *
 * <pre>{@code
 * HandshakePolicy user = BackendPolicies.setHeader("X-User", "${claim.sub}");
 * HandshakePolicy v2   = BackendPolicies.rewritePath("/v2${backend.path}");
 * }</pre>
 */
public final class BackendPolicies {

    private BackendPolicies() {
    }

    /**
     * @param header   the backend header to set (replacing any of that name)
     * @param template its value
     * @return the set-header policy
     * @throws IllegalArgumentException when the name or template is bad
     */
    public static HandshakePolicy setHeader(String header, String template) {
        new Headers.Field(header, "");
        ValueTemplate t = ValueTemplate.parse(template);
        return change("set-header", ctx -> t.render(ctx, UnaryOperator.identity())
                .filter(v -> v.indexOf('\r') < 0 && v.indexOf('\n') < 0)
                .map(v -> new BackendChange.SetHeader(header, v)));
    }

    /**
     * @param header a header never to send to the backend
     * @return the remove-header policy
     */
    public static HandshakePolicy removeHeader(String header) {
        new Headers.Field(header, "");
        BackendChange.RemoveHeader remove = new BackendChange.RemoveHeader(header);
        return change("remove-header", ctx -> Optional.of(remove));
    }

    /**
     * @param name     the query parameter to set (replacing any of that name)
     * @param template its value, unencoded
     * @return the set-query-parameter policy
     */
    public static HandshakePolicy setQueryParameter(String name, String template) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("query parameter name is blank");
        }
        ValueTemplate t = ValueTemplate.parse(template);
        return change("set-query-parameter", ctx -> t.render(ctx, UnaryOperator.identity())
                .map(v -> new BackendChange.SetQueryParameter(name, v)));
    }

    /**
     * @param name a query parameter never to send to the backend
     * @return the policy
     */
    public static HandshakePolicy removeQueryParameter(String name) {
        BackendChange.RemoveQueryParameter remove = new BackendChange.RemoveQueryParameter(name);
        return change("remove-query-parameter", ctx -> Optional.of(remove));
    }

    /**
     * @param template the new backend path, starting with '/'; filled-in values are percent-encoded except
     *                 {@code ${backend.path}}, the current path
     * @return the rewrite-path policy
     */
    public static HandshakePolicy rewritePath(String template) {
        Objects.requireNonNull(template, "template");
        if (!template.startsWith("/") && !template.startsWith("${backend.path}")) {
            throw new IllegalArgumentException("rewritten path '" + template + "' must start with '/' or ${backend.path}");
        }
        ValueTemplate t = ValueTemplate.parse(template);
        return change("rewrite-path", ctx -> t.render(ctx, BackendPolicies::encodeSegment)
                .filter(p -> p.startsWith("/") && !p.contains("?") && !p.contains("#"))
                .map(BackendChange.RewritePath::new));
    }

    /**
     * @param chooser the backend origin ({@code ws://} or {@code wss://} scheme, host and port) for a handshake;
     *                empty to keep the API's
     * @return the set-backend policy
     */
    public static HandshakePolicy setBackend(Function<HandshakeContext, Optional<URI>> chooser) {
        Objects.requireNonNull(chooser, "chooser");
        return change("set-backend", ctx -> chooser.apply(ctx).map(BackendChange.SetBackend::new));
    }

    /**
     * @param template a template naming the choice, e.g. {@code ${claim.region}} or {@code ${header.X-Region}}
     * @param backends the backend origin for each value; a value not listed keeps the API's backend
     * @return the set-backend policy
     * @throws IllegalArgumentException naming a backend that is not a ws:// or wss:// URI with a host
     */
    public static HandshakePolicy setBackend(String template, Map<String, URI> backends) {
        ValueTemplate t = ValueTemplate.parse(template);
        Map<String, BackendChange.SetBackend> changes = new LinkedHashMap<>();
        backends.forEach((k, v) -> changes.put(Objects.requireNonNull(k, "value"), new BackendChange.SetBackend(v)));
        Map<String, BackendChange.SetBackend> fixed = Map.copyOf(changes);
        return change("set-backend", ctx -> t.render(ctx, UnaryOperator.identity()).map(fixed::get));
    }

    private static String encodeSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static HandshakePolicy change(String name, Function<HandshakeContext, Optional<? extends BackendChange>> body) {
        return HandshakePolicy.of(name, ctx -> {
            Optional<? extends BackendChange> c = body.apply(ctx);
            return c.isPresent() ? HandshakeDecision.proceed().with(c.get()) : HandshakeDecision.proceed();
        });
    }
}
