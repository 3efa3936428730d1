package io.wsgate.testing.message;

import io.wsgate.api.MessageVerdict;
import io.wsgate.core.policy.message.ValidateJson;
import io.wsgate.testing.MessagePolicyTester;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static io.wsgate.api.MessageVerdict.Kind.CLOSE;
import static io.wsgate.api.MessageVerdict.Kind.DROP;
import static io.wsgate.api.MessageVerdict.Kind.FORWARD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidateJsonTest {

    private final MessagePolicyTester tester = MessagePolicyTester.create();

    @Test
    void wellFormedMessagesPassOneAfterAnotherInEitherDirection() {
        ValidateJson json = ValidateJson.builder().build();
        MessagePolicyTester.Pair pair = tester.open(json);
        for (String ok : List.of("{\"a\":[1,2,{\"b\":null}]}", "1", "2", "\"text\"", "true", " [ ] ", "-1.5e3", "{}")) {
            assertThat(pair.inbound().text(ok).kind()).as(ok).isEqualTo(FORWARD);
            assertThat(pair.outbound().text(ok).kind()).as(ok).isEqualTo(FORWARD);
        }
        assertThat(pair.inbound().binary(new byte[] {'{'}).kind()).isEqualTo(FORWARD); // binary passes
        assertThat(json.invalid()).isZero();
        pair.end();
        assertThat(json.openPairs()).isZero();
    }

    @Test
    void aMalformedEmptyIncompleteOrDoubleMessageCloses1007() {
        ValidateJson json = ValidateJson.builder().build();
        for (String bad : List.of("", "   ", "{", "{\"a\":}", "[1,]", "tru", "1 2", "{} []", "\"open", "{'a':1}", "NaN")) {
            MessagePolicyTester.Pair pair = tester.open(json);
            pair.inbound().text("{\"fine\":true}");
            MessageVerdict v = pair.inbound().text(bad);
            assertThat(v.kind()).as("'" + bad + "'").isEqualTo(CLOSE);
            assertThat(v.closeCode()).isEqualTo(1007);
            assertThat(v.closeReason()).isEqualTo("invalid JSON");
            assertThat(pair.openInstances()).isZero();
        }
        assertThat(json.invalid()).isEqualTo(11);
        assertThat(json.openPairs()).isZero();
    }

    @Test
    void checksAMessageAcrossFragmentsEvenInsideAUtf8Character() {
        ValidateJson json = ValidateJson.builder().build();
        MessagePolicyTester.Pair pair = tester.open(json);
        byte[] whole = "{\"name\":\"é\"}".getBytes(StandardCharsets.UTF_8);
        int split = indexOf(whole, (byte) 0xC3) + 1; // between the two bytes of é
        assertThat(pair.inbound().fragments(true, Arrays.copyOf(whole, split), Arrays.copyOfRange(whole, split, whole.length)))
                .extracting(MessageVerdict::kind).containsOnly(FORWARD);
        assertThat(pair.inbound().textFragments("{\"a\"", ":", "12", "3}")).extracting(MessageVerdict::kind).containsOnly(FORWARD);
        assertThat(pair.inbound().relayedText()).containsExactly("{\"name\":\"é\"}", "{\"a\":123}");
        List<MessageVerdict> v = pair.outbound().textFragments("[1,", "2]", "]");
        assertThat(v).extracting(MessageVerdict::kind).containsExactly(FORWARD, FORWARD, CLOSE);
    }

    @Test
    void maxDepthAllowsExactlyNLevels() {
        ValidateJson json = ValidateJson.builder().maxDepth(3).build();
        MessagePolicyTester.Pair pair = tester.open(json);
        assertThat(pair.inbound().text("[[[1]]]").kind()).isEqualTo(FORWARD);
        assertThat(pair.inbound().text("{\"a\":{\"b\":[]}}").kind()).isEqualTo(FORWARD);
        MessageVerdict deep = pair.inbound().text("[[[[1]]]]");
        assertThat(deep.closeCode()).isEqualTo(1007);
        assertThat(deep.closeReason()).isEqualTo("JSON nested too deep");
    }

    @Test
    void deepNestingBeyondJacksonsOwnLimitIsRefusedNotAFailure() {
        MessagePolicyTester.Pair pair = tester.open(ValidateJson.builder().build());
        MessageVerdict v = pair.inbound().text("[".repeat(5000) + "]".repeat(5000));
        assertThat(v.closeCode()).isEqualTo(1007);
        assertThat(pair.failure()).isNull();
    }

    @Test
    void maxBytesAtTheLimitPassesOneMoreIsRefused() {
        ValidateJson json = ValidateJson.builder().maxBytes(5).closeCode(1008).build();
        MessagePolicyTester.Pair pair = tester.open(json);
        assertThat(pair.inbound().text("[1,2]").kind()).isEqualTo(FORWARD);
        List<MessageVerdict> v = pair.inbound().textFragments("[1,", "2,3]");
        assertThat(v.get(1).closeCode()).isEqualTo(1008);
        assertThat(v.get(1).closeReason()).isEqualTo("JSON message too large");
    }

    @Test
    void dropWithdrawsAWholeInvalidMessageAndTheNextOneIsCheckedAfresh() {
        ValidateJson json = ValidateJson.builder().onInvalid(ValidateJson.OnInvalid.DROP).build();
        MessagePolicyTester.Pair pair = tester.open(json);
        assertThat(pair.inbound().text("{oops").kind()).isEqualTo(DROP);
        assertThat(pair.inbound().text("{\"ok\":1}").kind()).isEqualTo(FORWARD);
        assertThat(pair.inbound().textFragments("}", "{}")).extracting(MessageVerdict::kind).containsExactly(DROP, DROP);
        assertThat(pair.inbound().text("[]").kind()).isEqualTo(FORWARD);
        assertThat(pair.inbound().relayedText()).containsExactly("{\"ok\":1}", "[]");
        assertThat(json.dropped()).isEqualTo(2);
        // found invalid in a later fragment, once its start went on: the message cannot be withdrawn, the pair closes
        List<MessageVerdict> v = pair.inbound().textFragments("[1", "}");
        assertThat(v).extracting(MessageVerdict::kind).containsExactly(FORWARD, CLOSE);
        assertThat(json.invalid()).isEqualTo(3);
        assertThat(json.openPairs()).isZero();
    }

    @Test
    void refusesBadSettingsClearly() {
        assertThatThrownBy(() -> ValidateJson.builder().maxDepth(0)).hasMessage("maxDepth must be at least 1, got 0");
        assertThatThrownBy(() -> ValidateJson.builder().maxBytes(0)).hasMessage("maxBytes must be at least 1, got 0");
        assertThatThrownBy(() -> ValidateJson.builder().closeCode(1011)).hasMessage("closeCode is 1007 or 1008, got 1011");
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new AssertionError();
    }
}
