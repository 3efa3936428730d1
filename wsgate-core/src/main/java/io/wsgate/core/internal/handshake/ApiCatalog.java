package io.wsgate.core.internal.handshake;

import io.wsgate.api.ApiDefinition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The APIs one gateway serves, found by URL suffix: the longest suffix that is the request
 * path or a whole-segment prefix of it wins ({@code /echo} matches {@code /echo} and
 * {@code /echo/room}, never {@code /echoes}). Immutable; a lookup costs one hash probe per
 * path segment.
 */
public final class ApiCatalog {

    /**
     * An API and what is left of the path after its suffix.
     *
     * @param api      the API
     * @param restPath the rest of the raw path, empty or starting with '/'
     */
    public record Route(ApiDefinition api, String restPath) {
    }

    private final Map<String, ApiDefinition> bySuffix;

    private ApiCatalog(Map<String, ApiDefinition> bySuffix) {
        this.bySuffix = bySuffix;
    }

    /**
     * @param gatewayName the gateway's name
     * @param apis        every API of the configuration (already checked for clashes)
     * @return the catalog of the APIs that gateway serves
     */
    public static ApiCatalog of(String gatewayName, List<ApiDefinition> apis) {
        Map<String, ApiDefinition> map = new HashMap<>();
        for (ApiDefinition api : apis) {
            if (api.servedBy(gatewayName)) {
                map.put(api.urlSuffix(), api);
            }
        }
        return new ApiCatalog(Map.copyOf(map));
    }

    /**
     * @param rawPath the raw request path below the gateway's mount point
     * @return the API the path reaches, with the rest of the path
     */
    public Optional<Route> route(String rawPath) {
        String path = rawPath.isEmpty() || rawPath.charAt(0) == '/' ? rawPath : "/" + rawPath;
        String candidate = path;
        while (true) {
            ApiDefinition api = bySuffix.get(candidate);
            if (api != null) {
                return Optional.of(new Route(api, path.substring(candidate.length())));
            }
            if (candidate.isEmpty()) {
                return Optional.empty();
            }
            candidate = candidate.substring(0, candidate.lastIndexOf('/'));
        }
    }

    /** @return how many APIs this catalog holds */
    public int size() {
        return bySuffix.size();
    }
}
