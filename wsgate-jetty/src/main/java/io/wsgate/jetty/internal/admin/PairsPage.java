package io.wsgate.jetty.internal.admin;

import io.wsgate.api.ConnectionPair;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One page of the live pairs, oldest first (then by id), from a snapshot of the gateway's pairs.
 *
 * @param total  how many pairs were live in the snapshot
 * @param offset the index of the first pair of the page
 * @param limit  the page's size asked for
 * @param pairs  the page
 */
public record PairsPage(int total, int offset, int limit, List<ConnectionPair> pairs) {

    /** The default page size. */
    public static final int DEFAULT_LIMIT = 100;
    /** The largest page. */
    public static final int MAX_LIMIT = 1000;

    private static final Comparator<ConnectionPair> OLDEST_FIRST =
            Comparator.comparing(ConnectionPair::openedAt).thenComparing(ConnectionPair::id);

    /** Copies the page. */
    public PairsPage {
        pairs = List.copyOf(pairs);
    }

    /**
     * @param live   the live pairs
     * @param offset the query's {@code offset}, null for 0
     * @param limit  the query's {@code limit}, null for {@link #DEFAULT_LIMIT}
     * @return the page, empty when offset or limit is not a number in range
     */
    public static Optional<PairsPage> of(Collection<ConnectionPair> live, String offset, String limit) {
        int from = number(offset, 0);
        int size = number(limit, DEFAULT_LIMIT);
        if (from < 0 || size < 1 || size > MAX_LIMIT) {
            return Optional.empty();
        }
        List<ConnectionPair> sorted = new ArrayList<>(live);
        sorted.sort(OLDEST_FIRST);
        int start = Math.min(from, sorted.size());
        int end = Math.min(sorted.size(), start + size);
        return Optional.of(new PairsPage(sorted.size(), from, size, sorted.subList(start, end)));
    }

    private static int number(String value, int absent) {
        if (value == null) {
            return absent;
        }
        if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Integer.parseInt(value);
    }
}
