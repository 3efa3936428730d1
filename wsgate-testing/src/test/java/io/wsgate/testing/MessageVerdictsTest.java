package io.wsgate.testing;

import io.wsgate.api.CloseCause;
import io.wsgate.api.CloseInitiator;
import io.wsgate.api.CloseStatus;
import io.wsgate.api.Direction;
import io.wsgate.api.Frame;
import io.wsgate.api.FrameType;
import io.wsgate.api.MessageContext;
import io.wsgate.api.MessagePolicy;
import io.wsgate.api.MessageVerdict;
import io.wsgate.core.transport.Peer;
import io.wsgate.core.transport.SideEnd;
import io.wsgate.testing.MessagePairs.Done;
import io.wsgate.testing.MessagePairs.Pair;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import static io.wsgate.testing.MessagePairs.binary;
import static io.wsgate.testing.MessagePairs.binaryFragment;
import static io.wsgate.testing.MessagePairs.control;
import static io.wsgate.testing.MessagePairs.string;
import static io.wsgate.testing.MessagePairs.text;
import static io.wsgate.testing.MessagePairs.textFragment;
import static io.wsgate.testing.MessagePairs.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the relay does with each verdict of a message policy, and with fragments: a pair established by the gateway
 * on two {@link RecordingTransportSide}s, its API holding the test's policies.
 */
class MessageVerdictsTest {

    /** Records what it was shown: the frame and the context's values. */
    static final class Seeing implements MessagePolicy {
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());
        final List<Frame> frames = Collections.synchronizedList(new ArrayList<>());

        @Override
        public MessageVerdict onFrame(MessageContext c, Frame f) {
            frames.add(f);
            seen.add(c.direction() + " " + f.type() + " text=" + c.text() + " bytes=" + c.messageBytes()
                    + " before=" + c.messagesBefore() + " pair=" + !c.pair().id().isEmpty());
            return MessageVerdict.forward();
        }
    }

    private static final MessagePolicy UPPER = (c, f) -> c.text()
            ? MessageVerdict.replace(utf8(string(f).toUpperCase(Locale.ROOT))) : MessageVerdict.forward();
    private static final MessagePolicy DROP_ALL = (c, f) -> MessageVerdict.drop();

    @Test
    void aForwardedFrameIsRelayedAsItIsWithTheContextOfItsMessage() {
        Seeing seeing = new Seeing();
        MessagePairs pairs = new MessagePairs(b -> b.onMessage(seeing));
        Pair p = pairs.open();

        Frame hello = text("hello");
        Done done = p.fromClient(hello);
        p.fromClient(binaryFragment(10, true, false));
        p.fromClient(binaryFragment(5, false, true));
        p.fromBackend(text("hi"));

        assertThat(done.succeeded).isEqualTo(1);
        assertThat(p.backend().sent().get(0)).isSameAs(hello);
        assertThat(p.backend().sent().get(0).payload()).isSameAs(hello.payload());
        assertThat(seeing.frames.get(0)).isSameAs(hello);
        assertThat(seeing.seen).containsExactly(
                "CLIENT_TO_BACKEND UTF8_MESSAGE text=true bytes=5 before=0 pair=true",
                "CLIENT_TO_BACKEND BINARY_FRAGMENT text=false bytes=10 before=1 pair=true",
                "CLIENT_TO_BACKEND BINARY_FRAGMENT text=false bytes=15 before=1 pair=true",
                "BACKEND_TO_CLIENT UTF8_MESSAGE text=true bytes=2 before=0 pair=true");
    }

    @Test
    void pingPongAndCloseFramesGoPastThePolicies() {
        Seeing seeing = new Seeing();
        MessagePairs pairs = new MessagePairs(b -> b.onMessage(DROP_ALL, seeing));
        Pair p = pairs.open();

        p.fromClient(control(FrameType.PING));
        p.fromBackend(control(FrameType.PONG));
        p.fromClient(MessagePairs.close(1000, "bye"));

        assertThat(p.backend().sent()).extracting(Frame::type).containsExactly(FrameType.PING, FrameType.CLOSE);
        assertThat(p.client().sent()).extracting(Frame::type).containsExactly(FrameType.PONG);
        assertThat(seeing.seen).isEmpty();
    }

    @Test
    void aReplacementKeepsTheTypeAndGoesOnToTheNextPolicy() {
        Seeing after = new Seeing();
        MessagePairs pairs = new MessagePairs(b -> b.onMessage(UPPER, after));
        Pair p = pairs.open();

        p.fromClient(text("hello"));

        assertThat(p.backend().sent()).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FrameType.UTF8_MESSAGE);
            assertThat(string(f)).isEqualTo("HELLO");
        });
        assertThat(after.frames).singleElement().satisfies(f -> assertThat(string(f)).isEqualTo("HELLO"));
        assertThat(p.relay().messages(Direction.CLIENT_TO_BACKEND)).isEqualTo(1);
    }

    @Test
    void aReplacedFragmentStaysAFragmentWithItsFlags() {
        MessagePairs pairs = new MessagePairs(b -> b.onMessage(Direction.BACKEND_TO_CLIENT, UPPER));
        Pair p = pairs.open();

        p.fromBackend(textFragment("ab", true, false));
        p.fromBackend(textFragment("cd", false, false));
        p.fromBackend(textFragment("ef", false, true));
        p.fromClient(text("inbound is not replaced"));

        assertThat(p.client().sent()).extracting(f -> f.type() + " " + f.first() + " " + f.last() + " " + string(f))
                .containsExactly("UTF8_FRAGMENT true false AB", "UTF8_FRAGMENT false false CD", "UTF8_FRAGMENT false true EF");
        assertThat(string(p.backend().sent().get(0))).isEqualTo("inbound is not replaced");
    }

    @Test
    void droppingTheFirstFrameDropsTheWholeMessageUnseenAndTheNextMessageIsShown() {
        Seeing seeing = new Seeing();
        MessagePolicy dropFirstMessage = (c, f) -> c.messagesBefore() == 0 ? MessageVerdict.drop() : MessageVerdict.forward();
        MessagePairs pairs = new MessagePairs(b -> b.onMessage(seeing, dropFirstMessage));
        Pair p = pairs.open();

        Done first = p.fromClient(binaryFragment(10, true, false));
        Done middle = p.fromClient(binaryFragment(10, false, false));
        Done last = p.fromClient(binaryFragment(10, false, true));
        p.fromClient(binary(3));

        assertThat(List.of(first.succeeded, middle.succeeded, last.succeeded)).containsOnly(1);
        assertThat(p.backend().sent()).singleElement().satisfies(f -> assertThat(f.type()).isEqualTo(FrameType.BINARY_MESSAGE));
        assertThat(seeing.seen).hasSize(2); // the first fragment and the next message: the continuations were not shown
        assertThat(p.relay().messages(Direction.CLIENT_TO_BACKEND)).as("counted as received").isEqualTo(2);
    }

    @Test
    void droppingALaterFragmentRelaysAnEmptyFragmentWithItsFlags() {
        MessagePolicy dropContinuations = (c, f) -> f.first() ? MessageVerdict.forward() : MessageVerdict.drop();
        MessagePairs pairs = new MessagePairs(b -> b.onMessage(dropContinuations));
        Pair p = pairs.open();

        p.fromBackend(binaryFragment(10, true, false));
        p.fromBackend(binaryFragment(10, false, false));
        p.fromBackend(binaryFragment(10, false, true));

        assertThat(p.client().sent()).extracting(f -> f.type() + " " + f.first() + " " + f.last() + " " + f.length())
                .containsExactly("BINARY_FRAGMENT true false 10", "BINARY_FRAGMENT false false 0", "BINARY_FRAGMENT false true 0");
    }

    @Test
    void aCloseVerdictOnAClientFrameGivesTheClientItsCodeAndTheBackend1001() {
        MessagePairs pairs = new MessagePairs(b -> b.onMessage((c, f) -> MessageVerdict.close(4400, "no thanks")));
        Pair p = pairs.open();

        Done done = p.fromClient(text("x"));

        assertThat(done.succeeded).isEqualTo(1);
        assertThat(p.backend().sent()).isEmpty();
        assertThat(p.client().closes()).containsExactly("4400 no thanks");
        assertThat(p.backend().closes()).containsExactly("1001 Client went away");
        p.relay().ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.CLOSED, 4400, "no thanks"));
        p.relay().ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.CLOSED, 1001, ""));
        assertThat(pairs.ends).singleElement().satisfies(e -> {
            assertThat(e.closedBy()).isEqualTo(CloseInitiator.GATEWAY);
            assertThat(e.cause()).isEqualTo(CloseCause.POLICY);
            assertThat(e.closeCode()).isEqualTo(4400);
        });
        pairs.assertNothingLeft();
    }

    @Test
    void aCloseVerdictOnABackendFrameGivesTheBackendItsCodeAndTheClient1011() {
        MessagePairs pairs = new MessagePairs(b -> b.onMessage(Direction.BACKEND_TO_CLIENT,
                (c, f) -> MessageVerdict.close(CloseStatus.POLICY_VIOLATION, "bad backend")));
        Pair p = pairs.open();

        p.fromClient(text("inbound has no policy"));
        p.fromBackend(text("x"));

        assertThat(p.backend().sent()).hasSize(1);
        assertThat(p.client().sent()).isEmpty();
        assertThat(p.backend().closes()).containsExactly("1008 bad backend");
        assertThat(p.client().closes()).containsExactly("1011 Backend failed");
    }

    @Test
    void aReplacementThatBreaksUtf8ClosesThePairWith1011() {
        MessagePolicy broken = (c, f) -> MessageVerdict.replace(ByteBuffer.wrap(new byte[] {(byte) 0xC3}));
        MessagePairs pairs = new MessagePairs(b -> b.onMessage(broken));
        Pair p = pairs.open();

        p.fromClient(text("é"));

        assertThat(p.backend().sent()).isEmpty();
        assertThat(p.client().closes()).containsExactly("1011 Internal error");
        assertThat(p.backend().closes()).containsExactly("1011 Internal error");
    }

    @Test
    void aTextMessageSplitMidCharacterStaysValidWhenOnlyItsLastFragmentIsReplaced() {
        // "é" is C3 A9: the first fragment ends inside the character; the replacement must finish it
        MessagePolicy lastToA9 = (c, f) -> f.last() ? MessageVerdict.replace(ByteBuffer.wrap(new byte[] {(byte) 0xA9, 'x'}))
                : MessageVerdict.forward();
        MessagePairs pairs = new MessagePairs(b -> b.onMessage(lastToA9));
        Pair p = pairs.open();

        p.fromClient(new Frame(FrameType.UTF8_FRAGMENT, ByteBuffer.wrap(new byte[] {'a', (byte) 0xC3}), true, false));
        p.fromClient(new Frame(FrameType.UTF8_FRAGMENT, ByteBuffer.wrap(new byte[] {(byte) 0xA9}), false, true));

        assertThat(p.backend().sent()).hasSize(2);
        assertThat(p.client().closes()).isEmpty();
    }

    @Test
    void droppingTheLastFragmentOfTextEndingMidCharacterClosesThePairWith1011() {
        MessagePolicy dropLast = (c, f) -> f.last() ? MessageVerdict.drop() : MessageVerdict.forward();
        MessagePairs pairs = new MessagePairs(b -> b.onMessage(dropLast));
        Pair p = pairs.open();

        p.fromClient(new Frame(FrameType.UTF8_FRAGMENT, ByteBuffer.wrap(new byte[] {'a', (byte) 0xC3}), true, false));
        p.fromClient(new Frame(FrameType.UTF8_FRAGMENT, ByteBuffer.wrap(new byte[] {(byte) 0xA9}), false, true));

        assertThat(p.backend().sent()).hasSize(1);
        assertThat(p.client().closes()).containsExactly("1011 Internal error");
    }

    @Test
    void theGatewaysOwnChecksRunBeforeThePolicies() {
        Seeing seeing = new Seeing();
        MessagePairs pairs = new MessagePairs(b -> b.onMessage(seeing));
        Pair p = pairs.open();

        p.fromClient(binary(101));

        assertThat(seeing.seen).isEmpty();
        assertThat(p.client().closes()).containsExactly("1009 Message too big");
    }

    @Test
    void chainsComposeAcrossScopesPerDirection() {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        MessagePolicy api = (c, f) -> { order.add("api " + c.direction()); return MessageVerdict.forward(); };
        MessagePolicy op = (c, f) -> { order.add("op " + c.direction()); return MessageVerdict.forward(); };
        MessagePairs pairs = new MessagePairs(b -> b.messagePolicies(Direction.CLIENT_TO_BACKEND, api)
                .onMessage(op));
        Pair p = pairs.open();

        p.fromClient(text("a"));
        p.fromBackend(text("b"));

        assertThat(order).containsExactly("api CLIENT_TO_BACKEND", "op CLIENT_TO_BACKEND", "op BACKEND_TO_CLIENT");
    }

    @Test
    void theBuiltInsNamedInAGatewayFileRunOnTheirDirection() {
        MessagePairs pairs = new MessagePairs(io.wsgate.core.file.GatewayFiles.loader().parse("""
                apis:
                  - name: echo
                    backendUrl: ws://127.0.0.1:1/
                    urlSuffix: /echo
                    onMessage:
                      - message-types: { accept: text, direction: inbound }
                      - message-size-limit: { maxBytes: 4, direction: outbound }
                """, "gateway.yaml"));
        Pair p = pairs.open();

        p.fromClient(text("a text message of any size"));
        p.fromBackend(binary(4));
        assertThat(p.backend().sent()).hasSize(1);
        assertThat(p.client().sent()).hasSize(1);

        p.fromClient(binary(1));
        assertThat(p.client().closes()).containsExactly("1003 Unsupported data");
        assertThat(p.backend().closes()).containsExactly("1001 Client went away");
    }
}
