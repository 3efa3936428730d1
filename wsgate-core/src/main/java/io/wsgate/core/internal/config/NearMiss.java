package io.wsgate.core.internal.config;

import java.util.Locale;

/** Whether a key of a file looks like a misspelling of another: the same but for case, or one or two edits apart. */
final class NearMiss {

    private NearMiss() {
    }

    /**
     * @param given  a key as written
     * @param wanted a key the reader knows
     * @return true when they differ by case only, or by at most one edit (two for keys of more than five letters)
     */
    static boolean of(String given, String wanted) {
        if (given.equals(wanted)) {
            return false;
        }
        if (given.toLowerCase(Locale.ROOT).equals(wanted.toLowerCase(Locale.ROOT))) {
            return true;
        }
        int limit = wanted.length() > 5 ? 2 : 1;
        return Math.abs(given.length() - wanted.length()) <= limit && distance(given, wanted) <= limit;
    }

    /** Levenshtein distance, two rows. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
