package io.wsgate.core.policy.backend;

import io.wsgate.api.BackendChange;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.config.PolicyFactory;
import io.wsgate.core.config.PolicyOptions;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The factories of {@code set-header}, {@code remove-header}, {@code set-query-parameter},
 * {@code remove-query-parameter}, {@code rewrite-path} and {@code set-backend}, as a gateway file names them.
 * Called on the thread that loads the file.
 */
public final class BackendFactories {

    private BackendFactories() {
    }

    /** @return the factories of this family, one per policy type */
    public static List<PolicyFactory> all() {
        return List.of(
                PolicyFactory.of("set-header", o -> {
                    String name = o.requireText("name");
                    String value = o.requireText("value");
                    return o.check(() -> BackendPolicies.setHeader(name, value));
                }),
                PolicyFactory.of("remove-header", o -> {
                    String name = o.requireText("name");
                    return o.require("name").check(() -> BackendPolicies.removeHeader(name));
                }),
                PolicyFactory.of("set-query-parameter", o -> {
                    String name = o.requireText("name");
                    String value = o.requireText("value");
                    return o.check(() -> BackendPolicies.setQueryParameter(name, value));
                }),
                PolicyFactory.of("remove-query-parameter", o -> {
                    String name = o.requireText("name");
                    return o.require("name").check(() -> BackendPolicies.removeQueryParameter(name));
                }),
                PolicyFactory.of("rewrite-path", o -> {
                    String path = o.requireText("path");
                    return o.require("path").check(() -> BackendPolicies.rewritePath(path));
                }),
                PolicyFactory.of("set-backend", BackendFactories::setBackend));
    }

    private static HandshakePolicy setBackend(PolicyOptions o) {
        String choose = o.requireText("choose");
        PolicyOptions backends = o.require("backends");
        Map<String, URI> map = new LinkedHashMap<>();
        for (String value : backends.keys()) {
            String url = backends.requireText(value);
            URI uri = backends.require(value).check(() -> {
                URI u = uri(url);
                new BackendChange.SetBackend(u);
                return u;
            });
            map.put(value, uri);
        }
        if (map.isEmpty()) {
            throw backends.error("give at least one VALUE: ws://host:port backend");
        }
        return o.require("choose").check(() -> BackendPolicies.setBackend(choose, map));
    }

    private static URI uri(String text) {
        try {
            return new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getReason());
        }
    }
}
