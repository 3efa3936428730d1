package io.wsgate.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The one rule for query parameters: a parameter's name and value are read percent-decoded ({@code +} as a space),
 * so that the gateway finds and removes a parameter by the same name whatever its encoding
 * ({@code access_token}, {@code access%5Ftoken}). Pure functions, for any thread; used by {@link BackendChange}
 * and by the policies that read a token or a subscription key from the query.
 */
public final class Queries {
    private Queries() {
    }

    /**
     * @param rawQuery a raw query string without '?'; empty for none
     * @param name     a parameter name, decoded
     * @return the first value of the parameter whose decoded name is that one, decoded ("" for a parameter without '=')
     */
    public static Optional<String> parameter(String rawQuery, String name) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Optional.empty();
        }
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (decode(eq < 0 ? part : part.substring(0, eq)).equals(name)) {
                return Optional.of(eq < 0 ? "" : decode(part.substring(eq + 1)));
            }
        }
        return Optional.empty();
    }

    /**
     * @param rawQuery a raw query string without '?'; empty for none
     * @param name     a parameter name, decoded
     * @return the raw query without every parameter whose decoded name is that one; the others as they were
     */
    public static String without(String rawQuery, String name) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(rawQuery.length());
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (decode(eq < 0 ? part : part.substring(0, eq)).equals(name)) {
                continue;
            }
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(part);
        }
        return out.toString();
    }

    /**
     * @param s a name or value
     * @return it percent-encoded for a query, a space as {@code %20}
     */
    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** @return the text decoded; as given when it holds a malformed escape */
    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    static URI withRawQuery(URI u, String rawQuery) {
        return build(u.getScheme(), u.getRawAuthority(), u.getRawPath(), rawQuery);
    }

    static URI build(String scheme, String rawAuthority, String rawPath, String rawQuery) {
        StringBuilder s = new StringBuilder();
        s.append(scheme).append("://").append(rawAuthority);
        s.append(rawPath == null || rawPath.isEmpty() ? "/" : rawPath);
        if (rawQuery != null && !rawQuery.isEmpty()) {
            s.append('?').append(rawQuery);
        }
        try {
            return new URI(s.toString());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid backend URI: " + e.getMessage(), e);
        }
    }
}
