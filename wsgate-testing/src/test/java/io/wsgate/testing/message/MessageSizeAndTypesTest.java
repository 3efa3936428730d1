package io.wsgate.testing.message;

import io.wsgate.api.MessageVerdict;
import io.wsgate.core.policy.message.MessageSizeLimit;
import io.wsgate.core.policy.message.MessageTypes;
import io.wsgate.testing.MessagePolicyTester;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.wsgate.api.MessageVerdict.Kind.FORWARD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageSizeAndTypesTest {

    private final MessagePolicyTester tester = MessagePolicyTester.create();

    @Test
    void aMessageAtTheLimitPassesAndOneByteMoreCloses1009InEitherDirection() {
        MessageSizeLimit limit = MessageSizeLimit.of(4);
        MessagePolicyTester.Pair pair = tester.open(limit);
        assertThat(pair.inbound().text("").kind()).isEqualTo(FORWARD);
        assertThat(pair.inbound().text("abcd").kind()).isEqualTo(FORWARD);
        assertThat(pair.outbound().binary(new byte[4]).kind()).isEqualTo(FORWARD);
        MessageVerdict over = pair.outbound().binary(new byte[5]);
        assertThat(over.closeCode()).isEqualTo(1009);
        assertThat(over.closeReason()).isEqualTo("Message too big");
        assertThat(pair.openInstances()).isZero();

        MessagePolicyTester.Pair in = tester.open(limit);
        assertThat(in.inbound().text("abcde").closeCode()).isEqualTo(1009);
    }

    @Test
    void countsAcrossFragmentsAndRefusesTheFrameThatPassesTheLimit() {
        MessagePolicyTester.Pair pair = tester.open(MessageSizeLimit.of(4));
        assertThat(pair.inbound().textFragments("ab", "cd")).extracting(MessageVerdict::kind).containsOnly(FORWARD);
        List<MessageVerdict> v = pair.inbound().textFragments("ab", "cd", "e");
        assertThat(v).extracting(MessageVerdict::kind).containsExactly(FORWARD, FORWARD, MessageVerdict.Kind.CLOSE);
        assertThat(v.get(2).closeCode()).isEqualTo(1009);
    }

    @Test
    void onePolicyPerDirectionGivesEachItsOwnLimit() {
        MessagePolicyTester.Pair pair = tester.open(List.of(MessageSizeLimit.of(4)), List.of(MessageSizeLimit.of(1024)));
        assertThat(pair.outbound().text("a longer message from the backend").kind()).isEqualTo(FORWARD);
        assertThat(pair.inbound().text("too long").closeCode()).isEqualTo(1009);
        assertThat(MessageSizeLimit.of(0).maxBytes()).isZero();
        assertThatThrownBy(() -> MessageSizeLimit.of(-1)).hasMessage("maxBytes must be 0 or more, got -1");
    }

    @Test
    void textOnlyClosesABinaryMessageWith1003OnItsFirstFrame() {
        MessageTypes textOnly = MessageTypes.accepting(MessageTypes.Type.TEXT);
        MessagePolicyTester.Pair pair = tester.open(textOnly);
        assertThat(pair.inbound().text("").kind()).isEqualTo(FORWARD);
        assertThat(pair.outbound().textFragments("a", "b")).extracting(MessageVerdict::kind).containsOnly(FORWARD);
        List<MessageVerdict> v = pair.inbound().fragments(false, new byte[] {1}, new byte[] {2});
        assertThat(v).hasSize(1);
        assertThat(v.get(0).closeCode()).isEqualTo(1003);
        assertThat(v.get(0).closeReason()).isEqualTo("Unsupported data");
        assertThat(pair.inbound().relayed()).hasSize(1);
    }

    @Test
    void binaryOnlyAndBothInEitherDirection() {
        MessagePolicyTester.Pair binary = tester.open(MessageTypes.accepting(MessageTypes.Type.BINARY));
        assertThat(binary.inbound().binary(new byte[] {1}).kind()).isEqualTo(FORWARD);
        assertThat(binary.outbound().text("x").closeCode()).isEqualTo(1003);

        MessageTypes both = MessageTypes.accepting(MessageTypes.Type.BINARY, MessageTypes.Type.TEXT);
        assertThat(both.accepted()).containsExactly(MessageTypes.Type.TEXT, MessageTypes.Type.BINARY);
        MessagePolicyTester.Pair pair = tester.open(both);
        assertThat(pair.inbound().text("x").kind()).isEqualTo(FORWARD);
        assertThat(pair.outbound().binary(new byte[0]).kind()).isEqualTo(FORWARD);
        assertThatThrownBy(() -> MessageTypes.accepting(Set.of())).hasMessage("accept at least one of text and binary");
    }
}
