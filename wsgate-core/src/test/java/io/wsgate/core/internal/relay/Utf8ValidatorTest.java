package io.wsgate.core.internal.relay;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The validator, ASCII fast path included, agrees with the JDK's strict UTF-8 decoder: every
 * invalid sequence is refused wherever it falls relative to the 8-byte steps, and across fragments.
 */
class Utf8ValidatorTest {

    /** Invalid sequences (RFC 3629): stray continuation, overlongs, surrogates, above U+10FFFF, bytes never used, truncations. */
    private static final List<byte[]> INVALID = List.of(
            bytes(0x80), bytes(0xBF), bytes(0xC0, 0x80), bytes(0xC1, 0xBF), bytes(0xE0, 0x80, 0x80), bytes(0xE0, 0x9F, 0xBF),
            bytes(0xED, 0xA0, 0x80), bytes(0xED, 0xBF, 0xBF), bytes(0xF0, 0x80, 0x80, 0x80), bytes(0xF0, 0x8F, 0xBF, 0xBF),
            bytes(0xF4, 0x90, 0x80, 0x80), bytes(0xF5, 0x80, 0x80, 0x80), bytes(0xF8), bytes(0xFE), bytes(0xFF),
            bytes(0xC3, 0x41), bytes(0xE2, 0x82, 0x41), bytes(0xF0, 0x9F, 0x98, 0x41), bytes(0xC3, 0xC3));

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static boolean jdkAccepts(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean validates(byte[] b, int... splits) {
        Utf8Validator v = new Utf8Validator();
        int from = 0;
        for (int split : splits) {
            if (!v.feed(ByteBuffer.wrap(b, from, split - from))) {
                return false;
            }
            from = split;
        }
        return v.feed(ByteBuffer.wrap(b, from, b.length - from)) && v.complete();
    }

    private static byte[] ascii(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'a');
        return b;
    }

    @Test
    void refusesEveryInvalidSequenceAtEveryOffsetOfAnAsciiRun() {
        for (byte[] bad : INVALID) {
            for (int offset = 0; offset <= 24; offset++) {
                for (int tail = 0; tail <= 9; tail++) {
                    byte[] msg = new byte[offset + bad.length + tail];
                    Arrays.fill(msg, (byte) 'x');
                    System.arraycopy(bad, 0, msg, offset, bad.length);
                    assertThat(validates(msg)).as("%s at %d, %d bytes after", Arrays.toString(bad), offset, tail).isFalse();
                    assertThat(jdkAccepts(msg)).isFalse();
                }
            }
        }
    }

    @Test
    void refusesEveryInvalidSequenceSplitAcrossFragments() {
        for (byte[] bad : INVALID) {
            byte[] msg = new byte[11 + bad.length + 11];
            Arrays.fill(msg, (byte) 'y');
            System.arraycopy(bad, 0, msg, 11, bad.length);
            for (int split = 0; split <= msg.length; split++) {
                assertThat(validates(msg, split)).as("%s split at %d", Arrays.toString(bad), split).isFalse();
            }
        }
    }

    @Test
    void acceptsValidTextOfEveryLengthAndSplit() {
        String text = "plain ascii run of some length, then é, €, 😀 and more ascii to cross several longs 0123456789";
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        for (int len = 0; len <= b.length; len++) {
            byte[] prefix = Arrays.copyOf(b, len);
            boolean valid = jdkAccepts(prefix);
            assertThat(validates(prefix)).as("prefix of %d bytes", len).isEqualTo(valid);
            for (int split = 0; split <= len; split++) {
                assertThat(validates(prefix, split)).as("prefix of %d split at %d", len, split).isEqualTo(valid);
            }
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomMixesOfAsciiAndOtherBytes() {
        SplittableRandom random = new SplittableRandom(4);
        for (int round = 0; round < 50_000; round++) {
            int len = random.nextInt(40);
            byte[] b = new byte[len];
            for (int i = 0; i < len; i++) {
                int kind = random.nextInt(10);
                b[i] = (byte) (kind < 6 ? random.nextInt(0x80) : kind < 8 ? 0x80 + random.nextInt(0x40) : 0xC0 + random.nextInt(0x40));
            }
            int split = len == 0 ? 0 : random.nextInt(len + 1);
            assertThat(validates(b, split)).as("%s split at %d", Arrays.toString(b), split).isEqualTo(jdkAccepts(b));
        }
    }

    @Test
    void readsOnlyBetweenPositionAndLimitOfHeapAndDirectBuffers() {
        byte[] inner = "abcdefghijklmnop é qrstuvwxyz0123456789".getBytes(StandardCharsets.UTF_8);
        byte[] framed = new byte[inner.length + 6];
        Arrays.fill(framed, (byte) 0xFF);
        System.arraycopy(inner, 0, framed, 3, inner.length);
        ByteBuffer heap = ByteBuffer.wrap(framed, 3, inner.length);
        ByteBuffer direct = ByteBuffer.allocateDirect(framed.length).put(framed).position(3).limit(3 + inner.length);
        for (ByteBuffer buffer : List.of(heap, direct)) {
            Utf8Validator v = new Utf8Validator();
            assertThat(v.feed(buffer) && v.complete()).isTrue();
            assertThat(buffer.position()).isEqualTo(3);
            assertThat(buffer.limit()).isEqualTo(3 + inner.length);
        }
    }

    @Test
    void aLongAsciiMessageIsValidAndOneBadByteAnywhereMakesItInvalid() {
        byte[] msg = ascii(16 * 1024);
        assertThat(validates(msg)).isTrue();
        for (int at : new int[] {0, 7, 8, 4095, 8191, 16 * 1024 - 9, 16 * 1024 - 1}) {
            byte[] bad = msg.clone();
            bad[at] = (byte) 0x80;
            assertThat(validates(bad)).as("0x80 at %d", at).isFalse();
        }
    }

    @Test
    void utf8ValidatorAcceptsValidAndRejectsSurrogatesAndOverlongs() {
        Utf8Validator v = new Utf8Validator();
        assertThat(v.feed(ByteBuffer.wrap("héllo wörld 😀".getBytes(StandardCharsets.UTF_8))) && v.complete()).isTrue();
        v.reset();
        assertThat(v.feed(ByteBuffer.wrap(new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}))).isFalse();
        v.reset();
        assertThat(v.feed(ByteBuffer.wrap(new byte[]{(byte) 0xC0, (byte) 0x80}))).isFalse();
        v.reset();
        assertThat(v.feed(ByteBuffer.wrap(new byte[]{(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}))).isFalse();
    }
}
