package io.wsgate.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Query-string and URI helpers for {@link BackendChange}. */
final class Queries {
    private Queries() {
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String without(String rawQuery, String name) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        String encodedName = encode(name);
        StringBuilder out = new StringBuilder(rawQuery.length());
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            if (key.equals(encodedName) || key.equals(name)) {
                continue;
            }
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(part);
        }
        return out.toString();
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
