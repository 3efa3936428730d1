package io.wsgate.jetty.internal.console;

import com.fasterxml.jackson.core.JsonGenerator;
import io.wsgate.api.ApiDefinition;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.api.UrlScheme;
import io.wsgate.core.Diagnosis;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.policy.ApiChains;
import io.wsgate.core.policy.EffectiveChain;
import io.wsgate.core.policy.jwt.JwtValidation;
import io.wsgate.core.policy.jwt.TokenSource;
import io.wsgate.jetty.internal.json.JsonBodies;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The console's JSON bodies, written with Jackson's streaming generator: the APIs a gateway serves (with where a
 * browser may put a token: validate-jwt's query parameters and subprotocols), and a {@link Diagnosis}. Never a
 * backend address, a key or a secret.
 */
public final class ConsoleJson {

    private ConsoleJson() {
    }

    /**
     * @param config     the configuration in force
     * @param gatewayUri the gateway's base WebSocket URI for the page, if the console was told it
     * @return the body of {@code GET apis}
     */
    public static String apis(GatewayConfig config, Optional<String> gatewayUri) {
        return JsonBodies.object(g -> {
            g.writeStringField("gateway", config.name());
            if (gatewayUri.isPresent()) {
                g.writeStringField("gatewayUrl", gatewayUri.get());
            }
            g.writeArrayFieldStart("apis");
            for (ApiDefinition api : config.apis()) {
                if (!api.servedBy(config.name())) {
                    continue;
                }
                g.writeStartObject();
                g.writeStringField("name", api.name());
                g.writeStringField("displayName", api.displayName());
                g.writeStringField("urlSuffix", api.urlSuffix());
                g.writeArrayFieldStart("schemes");
                for (UrlScheme s : UrlScheme.values()) {
                    if (api.schemes().contains(s)) {
                        g.writeString(s.name().toLowerCase(Locale.ROOT));
                    }
                }
                g.writeEndArray();
                tokens(g, config.chains(api.name()));
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    /** Where validate-jwt (in any of the API's chains) lets a browser put a token: query parameters and subprotocols. */
    private static void tokens(JsonGenerator g, Optional<ApiChains> chains) throws IOException {
        Set<TokenSource> places = new LinkedHashSet<>();
        chains.ifPresent(c -> {
            for (EffectiveChain chain : c.all()) {
                for (HandshakePolicy p : chain.policies()) {
                    if (p instanceof JwtValidation jwt) {
                        places.addAll(jwt.sources());
                    }
                }
            }
        });
        g.writeArrayFieldStart("token");
        for (TokenSource place : places) {
            if (place instanceof TokenSource.QueryParameter q) {
                g.writeStartObject();
                g.writeStringField("in", "query");
                g.writeStringField("name", q.name());
                g.writeEndObject();
            } else if (place instanceof TokenSource.Subprotocol s) {
                g.writeStartObject();
                g.writeStringField("in", "subprotocol");
                g.writeStringField("prefix", s.prefix());
                g.writeStringField("marker", s.marker());
                g.writeEndObject();
            }
        }
        g.writeEndArray();
    }

    /**
     * @param d a diagnosis
     * @return the body of {@code POST diagnose}
     */
    public static String diagnosis(Diagnosis d) {
        return JsonBodies.object(g -> {
            g.writeStringField("requestId", d.requestId());
            g.writeStringField("api", d.api());
            g.writeStringField("stage", d.stage().name());
            g.writeBooleanField("admitted", d.admitted());
            g.writeStringField("policy", d.policy());
            g.writeNumberField("status", d.status());
            g.writeStringField("code", d.code());
            g.writeStringField("message", d.message());
            g.writeStringField("subprotocol", d.subprotocol());
            g.writeArrayFieldStart("notes");
            for (String n : d.notes()) {
                g.writeString(n);
            }
            g.writeEndArray();
        });
    }

    /**
     * @param status  the HTTP status
     * @param message what went wrong
     * @return an error body
     */
    public static String error(int status, String message) {
        return JsonBodies.error(status, message);
    }
}
