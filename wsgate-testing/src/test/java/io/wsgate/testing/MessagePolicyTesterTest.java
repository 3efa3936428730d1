package io.wsgate.testing;

import io.wsgate.api.ConnectionPair;
import io.wsgate.api.Direction;
import io.wsgate.api.MessagePolicy;
import io.wsgate.api.MessageVerdict;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessagePolicyTesterTest {

    private final MessagePolicyTester tester = MessagePolicyTester.create().withAttribute("tenant", "acme");

    @Test
    void opensOneInstancePerPolicyAndDirectionAndClosesEachOnceWhenThePairEnds() {
        List<String> events = new ArrayList<>();
        MessagePolicy p = new MessagePolicy() {
            @Override
            public MessageVerdict onFrame(io.wsgate.api.MessageContext c, io.wsgate.api.Frame f) {
                return MessageVerdict.forward();
            }

            @Override
            public MessagePolicy open(ConnectionPair pair, Direction direction) {
                events.add("open " + direction + " " + pair.attributes().get("tenant"));
                MessagePolicy self = this;
                return new MessagePolicy() {
                    @Override
                    public MessageVerdict onFrame(io.wsgate.api.MessageContext c, io.wsgate.api.Frame f) {
                        return self.onFrame(c, f);
                    }

                    @Override
                    public void closed(ConnectionPair pair) {
                        events.add("closed " + direction);
                    }
                };
            }
        };
        MessagePolicyTester.Pair pair = tester.open(p);
        assertThat(pair.openInstances()).isEqualTo(2);
        assertThat(pair.inbound().text("hi").kind()).isEqualTo(MessageVerdict.Kind.FORWARD);
        pair.end();
        pair.end();
        assertThat(events).containsExactly("open CLIENT_TO_BACKEND acme", "open BACKEND_TO_CLIENT acme",
                "closed CLIENT_TO_BACKEND", "closed BACKEND_TO_CLIENT");
        assertThat(pair.openInstances()).isZero();
        assertThatThrownBy(() -> pair.inbound().text("late")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aReplacementIsWhatTheNextPolicySeesAndADroppedFirstFrameDropsTheContinuationsUnseen() {
        List<String> seen = new ArrayList<>();
        MessagePolicy upper = (c, f) -> MessageVerdict.replace(ByteBuffer.wrap(
                StandardCharsets.UTF_8.decode(f.payload().duplicate()).toString().toUpperCase().getBytes(StandardCharsets.UTF_8)));
        MessagePolicy record = (c, f) -> {
            seen.add(StandardCharsets.UTF_8.decode(f.payload().duplicate()) + "@" + c.messageBytes() + "/" + c.messagesBefore());
            return f.payload().remaining() > 0 && f.payload().get(f.payload().position()) == 'X'
                    ? MessageVerdict.drop() : MessageVerdict.forward();
        };
        MessagePolicyTester.Pair pair = tester.open(List.of(upper, record));
        assertThat(pair.inbound().textFragments("ab", "cd").get(1).kind()).isEqualTo(MessageVerdict.Kind.REPLACE);
        assertThat(pair.inbound().textFragments("xy", "zz", "zz")).extracting(MessageVerdict::kind)
                .containsExactly(MessageVerdict.Kind.DROP, MessageVerdict.Kind.DROP, MessageVerdict.Kind.DROP);
        pair.inbound().text("ok");
        assertThat(seen).containsExactly("AB@2/0", "CD@4/0", "XY@2/1", "OK@2/2");
        assertThat(pair.inbound().relayedText()).containsExactly("ABCD", "OK");
        assertThat(pair.connectionPair().messages(Direction.CLIENT_TO_BACKEND)).isEqualTo(2);
        assertThat(pair.outbound().relayed()).isEmpty();
    }

    @Test
    void aThrowingPolicyOrAFailedStageClosesThePairWith1011AndEndsIt() {
        MessagePolicyTester.Pair thrown = tester.open((c, f) -> {
            throw new IllegalStateException("boom");
        });
        assertThat(thrown.outbound().text("x").closeCode()).isEqualTo(1011);
        assertThat(thrown.failure()).hasMessage("boom");
        assertThat(thrown.closedFrom()).isEqualTo(Direction.BACKEND_TO_CLIENT);
        assertThat(thrown.openInstances()).isZero();

        MessagePolicyTester.Pair failed = tester.open((c, f) -> MessageVerdict.later(
                CompletableFuture.failedFuture(new IllegalArgumentException("no"))));
        assertThat(failed.inbound().text("x").closeCode()).isEqualTo(1011);
        assertThat(failed.isClosed()).isTrue();

        MessagePolicyTester.Pair later = tester.open((c, f) -> MessageVerdict.later(
                CompletableFuture.completedFuture(MessageVerdict.drop())));
        assertThat(later.inbound().text("x").kind()).isEqualTo(MessageVerdict.Kind.DROP);
    }

    @Test
    void refusesFramesThatBreakTheMessageOrder() {
        MessagePolicyTester.Pair pair = tester.open((c, f) -> MessageVerdict.forward());
        var first = new io.wsgate.api.Frame(io.wsgate.api.FrameType.UTF8_FRAGMENT, ByteBuffer.allocate(0), true, false);
        var cont = new io.wsgate.api.Frame(io.wsgate.api.FrameType.UTF8_FRAGMENT, ByteBuffer.allocate(0), false, true);
        assertThatThrownBy(() -> pair.inbound().frame(cont)).hasMessageContaining("no message is open");
        pair.inbound().frame(first);
        assertThatThrownBy(() -> pair.inbound().frame(first)).hasMessageContaining("not finished");
        var ping = new io.wsgate.api.Frame(io.wsgate.api.FrameType.PING, ByteBuffer.allocate(0), true, true);
        assertThatThrownBy(() -> pair.outbound().frame(ping)).hasMessageContaining("data frames only");
    }
}
