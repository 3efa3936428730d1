package io.wsgate.examples;

import io.wsgate.api.CloseStatus;
import io.wsgate.api.ConnectionPair;
import io.wsgate.api.Direction;
import io.wsgate.api.Frame;
import io.wsgate.api.MessageContext;
import io.wsgate.api.MessagePolicy;
import io.wsgate.api.MessageVerdict;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * A custom message policy: a text message holding one of the banned words (ASCII letters matched in any case) is
 * dropped, unseen by the other side; a word spanning two fragments is found too. A message can be dropped whole
 * only from its first frame, so a word found in a later fragment closes the pair with 1008 instead. Per-pair state
 * (the tail of the previous fragment) lives in the instance {@link #open} returns; nothing is allocated per frame.
 *
 * <p>Place it on an API's {@code onMessage} list for the inbound direction (see the README's "Per-message
 * policies"); {@code MessagePolicyTester} runs it without a server:
 *
 * <pre>{@code
 * MessagePolicyTester.Pair pair = MessagePolicyTester.create().open(new BannedWords(List.of("spam")));
 * pair.inbound().text("buy SPAM now");   // DROP
 * }</pre>
 */
public final class BannedWords implements MessagePolicy {

    private static final MessageVerdict BANNED = MessageVerdict.close(CloseStatus.POLICY_VIOLATION, "banned word");

    private final byte[][] words;
    private final int longest;
    private final LongAdder dropped = new LongAdder();

    /** @param words the banned words, ASCII (matched in any case) */
    public BannedWords(List<String> words) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("ban at least one word");
        }
        this.words = new byte[words.size()][];
        int max = 0;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i).toLowerCase(Locale.ROOT);
            if (w.isEmpty() || !StandardCharsets.US_ASCII.newEncoder().canEncode(w)) {
                throw new IllegalArgumentException("a banned word is ASCII and not empty: '" + words.get(i) + "'");
            }
            this.words[i] = w.getBytes(StandardCharsets.US_ASCII);
            max = Math.max(max, w.length());
        }
        this.longest = max;
    }

    /** @return the messages dropped so far, all pairs together */
    public long dropped() {
        return dropped.sum();
    }

    /** Not called by the gateway: it decides frames through what {@link #open} returns. */
    @Override
    public MessageVerdict onFrame(MessageContext context, Frame frame) {
        throw new IllegalStateException("BannedWords decides frames through the instance open() returned");
    }

    @Override
    public MessagePolicy open(ConnectionPair pair, Direction direction) {
        return new Check();
    }

    /** One pair and direction: keeps the end of the previous fragment, where a word may begin. */
    private final class Check implements MessagePolicy {
        private final byte[] window = new byte[2 * longest];
        private int carried;

        @Override
        public MessageVerdict onFrame(MessageContext context, Frame frame) {
            if (!context.text()) {
                return MessageVerdict.forward();
            }
            if (frame.first()) {
                carried = 0;
            }
            ByteBuffer p = frame.payload();
            boolean found = contains(p, p.position(), p.limit()) || acrossBoundary(p);
            keepTail(p);
            if (!found) {
                return MessageVerdict.forward();
            }
            if (frame.first()) {
                dropped.increment();
                return MessageVerdict.drop();
            }
            return BANNED;
        }

        /** Looks for a word that starts in the carried tail and ends in this frame. */
        private boolean acrossBoundary(ByteBuffer p) {
            if (carried == 0) {
                return false;
            }
            int take = Math.min(longest - 1, p.remaining());
            for (int i = 0; i < take; i++) {
                window[carried + i] = p.get(p.position() + i);
            }
            return contains(ByteBuffer.wrap(window), 0, carried + take);
        }

        /** Keeps the last bytes seen (up to one less than the longest word), across frames as short as one byte. */
        private void keepTail(ByteBuffer p) {
            int keep = longest - 1;
            int n = p.remaining();
            int old = Math.max(0, Math.min(carried, keep - n));
            System.arraycopy(window, carried - old, window, 0, old);
            int fresh = Math.min(n, keep);
            for (int i = 0; i < fresh; i++) {
                window[old + i] = p.get(p.limit() - fresh + i);
            }
            carried = old + fresh;
        }

        private boolean contains(ByteBuffer b, int from, int to) {
            for (byte[] w : words) {
                for (int i = from; i + w.length <= to; i++) {
                    int j = 0;
                    while (j < w.length && lower(b.get(i + j)) == w[j]) {
                        j++;
                    }
                    if (j == w.length) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static byte lower(byte c) {
            return c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
        }
    }
}
