package io.wsgate.testing;

import io.wsgate.api.MessagePolicy;
import io.wsgate.api.MessageVerdict;
import io.wsgate.core.policy.limit.RateKey;
import io.wsgate.core.policy.message.MessageRateLimit;
import io.wsgate.core.policy.message.MessageSizeLimit;
import io.wsgate.core.policy.message.MessageTypes;
import io.wsgate.core.policy.message.ValidateJson;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's "Built-in message policies" examples, as written there. */
class ReadmeMessagePolicyExamplesTest {

    @Test
    void theBuiltInExamplesBuildAndRun() {
        MessagePolicy perPair = MessageRateLimit.builder(50, Duration.ofSeconds(1)).build();
        MessagePolicy perUser = MessageRateLimit.builder(200, Duration.ofSeconds(1)).key(RateKey.claim("sub"))
                .onExceed(MessageRateLimit.OnExceed.DROP).build();
        MessagePolicy fromClients = MessageSizeLimit.of(4096);
        MessagePolicy textOnly = MessageTypes.accepting(MessageTypes.Type.TEXT);
        MessagePolicy json = ValidateJson.builder().maxDepth(16).maxBytes(64 * 1024).build();
        MessagePolicy lenient = ValidateJson.builder().onInvalid(ValidateJson.OnInvalid.DROP).closeCode(1008).build();

        MessagePolicyTester tester = MessagePolicyTester.create();
        MessagePolicyTester.Pair pair = tester.open(List.of(
                MessageRateLimit.builder(2, Duration.ofSeconds(1)).clock(tester.clock()).build(), textOnly));
        assertThat(pair.inbound().text("hello").kind()).isEqualTo(MessageVerdict.Kind.FORWARD);
        List<MessageVerdict> binary = pair.inbound().fragments(false, new byte[] {1}, new byte[] {2});
        assertThat(binary).extracting(MessageVerdict::closeCode).containsExactly(1003);
        assertThat(pair.isClosed()).isTrue();
        assertThat(pair.openInstances()).isZero();

        MessagePolicyTester.Pair all = tester.open(List.of(perPair, perUser, fromClients, json, lenient));
        assertThat(all.inbound().text("{\"ok\":true}").kind()).isEqualTo(MessageVerdict.Kind.FORWARD);
        all.end();
        assertThat(all.openInstances()).isZero();
    }
}
