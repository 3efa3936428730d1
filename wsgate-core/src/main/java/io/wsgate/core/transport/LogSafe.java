package io.wsgate.core.transport;

import java.net.URI;

/**
 * What of a request may appear in a log line. A URI's query may carry a client's credential (an
 * {@code access_token} parameter, a subscription key), so no log line, at any level, holds one: the
 * gateway and every transport adapter log a URI only through {@link #uri(URI)}. Stateless; called on
 * any thread.
 */
public final class LogSafe {

    private LogSafe() {
    }

    /**
     * @param uri a backend or client URI
     * @return its scheme, authority and path: never its query or fragment
     */
    public static String uri(URI uri) {
        String path = uri.getRawPath();
        return uri.getScheme() + "://" + uri.getRawAuthority() + (path == null ? "" : path);
    }
}
