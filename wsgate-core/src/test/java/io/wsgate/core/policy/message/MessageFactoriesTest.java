package io.wsgate.core.policy.message;

import io.wsgate.api.MessagePolicy;
import io.wsgate.core.config.GatewayFileException;
import io.wsgate.core.config.MessagePolicyFactory;
import io.wsgate.core.internal.config.PolicyReader;
import io.wsgate.core.internal.config.PolicyReuse;
import io.wsgate.core.internal.config.PolicyTypes;
import io.wsgate.core.internal.config.Source;
import io.wsgate.core.internal.config.YamlTrees;
import io.wsgate.core.policy.MutableClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The options of each built-in message policy as a gateway file writes them (the loader's reading of an entry). */
class MessageFactoriesTest {

    private static MessagePolicy make(String type, String options) {
        MessagePolicyFactory factory = MessageFactories.all().stream().filter(f -> f.type().equals(type)).findFirst()
                .orElseThrow();
        PolicyReader reader = new PolicyReader(new Source("gateway.yaml"), PolicyTypes.of(List.of(), List.of()),
                new MutableClock(Instant.EPOCH), List.of(), PolicyReuse.none().begin());
        try {
            return reader.read(YamlTrees.parse(new StringReader(options), "gateway.yaml"), "onMessage[0]." + type,
                    o -> o.check(() -> factory.create(o)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void namesEveryBuiltInOnce() {
        assertThat(MessageFactories.all()).extracting(MessagePolicyFactory::type)
                .containsExactly("message-rate-limit", "message-size-limit", "message-types", "validate-json");
    }

    @Test
    void readsMessageRateLimit() {
        assertThat(make("message-rate-limit", "{ permits: 50, period: 1s }"))
                .hasToString("MessageRateLimit[50 per PT1S per pair, close]");
        assertThat(make("message-rate-limit", "{ permits: 5, period: 1m, key: { claim: sub }, maxKeys: 10, onExceed: drop }"))
                .hasToString("MessageRateLimit[5 per PT1M per key, drop]");
        assertThatThrownBy(() -> make("message-rate-limit", "{ period: 1s }")).isInstanceOf(GatewayFileException.class)
                .hasMessageContaining("permits");
        assertThatThrownBy(() -> make("message-rate-limit", "{ permits: 5, period: 1s, onExceed: ignore }"))
                .hasMessageContaining("expected drop or close, got 'ignore'").hasMessageContaining("gateway.yaml:1:");
        assertThatThrownBy(() -> make("message-rate-limit", "{ permits: 5, period: 1s, key: { cookie: x } }"))
                .hasMessageContaining("unknown key kind 'cookie'");
    }

    @Test
    void readsMessageSizeLimitInBytesOrUnits() {
        assertThat(((MessageSizeLimit) make("message-size-limit", "{ maxBytes: 4KiB }")).maxBytes()).isEqualTo(4096);
        assertThat(((MessageSizeLimit) make("message-size-limit", "{ maxBytes: 100 }")).maxBytes()).isEqualTo(100);
        assertThatThrownBy(() -> make("message-size-limit", "{ maxBytes: 4 KB }"))
                .hasMessageContaining("expected a size in bytes of at least 0, e.g. 4096, 4KiB or 1MiB; got '4 KB'");
        assertThatThrownBy(() -> make("message-size-limit", "{ }")).hasMessageContaining("maxBytes");
    }

    @Test
    void readsMessageTypes() {
        assertThat(((MessageTypes) make("message-types", "{ accept: [text] }")).accepted())
                .containsExactly(MessageTypes.Type.TEXT);
        assertThat(((MessageTypes) make("message-types", "{ accept: [binary, text] }")).accepted()).hasSize(2);
        assertThat(((MessageTypes) make("message-types", "{ accept: binary }")).accepted())
                .containsExactly(MessageTypes.Type.BINARY);
        assertThatThrownBy(() -> make("message-types", "{ accept: [json] }"))
                .hasMessageContaining("expected text or binary, got 'json'");
    }

    @Test
    void readsValidateJson() {
        assertThat(make("validate-json", "{ }")).hasToString("ValidateJson[close 1007]");
        assertThat(make("validate-json", "{ maxDepth: 8, maxBytes: 64KiB, onInvalid: close, closeCode: 1008 }"))
                .hasToString("ValidateJson[maxDepth 8, maxBytes 65536, close 1008]");
        assertThat(make("validate-json", "{ onInvalid: drop }")).hasToString("ValidateJson[drop]");
        assertThatThrownBy(() -> make("validate-json", "{ closeCode: 1011 }")).hasMessageContaining("closeCode");
    }

    @Test
    void refusesAnUnknownKeyAsTheHandshakeFactoriesDo() {
        assertThatThrownBy(() -> make("validate-json", "{ maxDepht: 3 }")).isInstanceOf(GatewayFileException.class)
                .hasMessageContaining("maxDepht");
        assertThatThrownBy(() -> make("message-types", "{ accept: [text], reject: [binary] }"))
                .hasMessageContaining("reject");
    }
}
