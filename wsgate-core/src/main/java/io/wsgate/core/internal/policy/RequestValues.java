package io.wsgate.core.internal.policy;

import io.wsgate.api.HandshakeRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reads query parameters and cookies of a handshake request. */
public final class RequestValues {

    private RequestValues() {
    }

    /**
     * @param rawQuery a raw query string without '?'
     * @param name     a parameter name, unencoded
     * @return the first value of that parameter, decoded ("" for a parameter without '=')
     */
    public static Optional<String> queryParameter(String rawQuery, String name) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Optional.empty();
        }
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key = decode(eq < 0 ? part : part.substring(0, eq));
            if (key.equals(name)) {
                return Optional.of(eq < 0 ? "" : decode(part.substring(eq + 1)));
            }
        }
        return Optional.empty();
    }

    /**
     * @param request a request
     * @param name    a query parameter name
     * @return its first value, decoded
     */
    public static Optional<String> queryParameter(HandshakeRequest request, String name) {
        return queryParameter(request.query(), name);
    }

    /**
     * @param request a request
     * @param name    a cookie name
     * @return the cookie's value from the first {@code Cookie} header holding it
     */
    public static Optional<String> cookie(HandshakeRequest request, String name) {
        for (String header : request.headers().all("Cookie")) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    String v = pair.substring(eq + 1).trim();
                    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                        v = v.substring(1, v.length() - 1);
                    }
                    return Optional.of(v);
                }
            }
        }
        return Optional.empty();
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
