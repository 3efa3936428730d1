package io.wsgate.core.file;

import io.wsgate.api.Direction;
import io.wsgate.api.MessagePolicy;
import io.wsgate.api.MessageVerdict;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.ReloadResult;
import io.wsgate.core.config.GatewayFileException;
import io.wsgate.core.config.MessagePolicyFactory;
import io.wsgate.core.config.PolicyFactory;
import io.wsgate.core.error.ConfigurationException;
import io.wsgate.core.policy.EffectiveChain;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Message policies in a gateway file: where they may stand, their direction, their scopes, their reuse on reload. */
class MessagePolicyFileTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final AtomicInteger made = new AtomicInteger();
    /** A message policy named by its label option, counted when made. */
    private final GatewayFileLoader loader = GatewayFiles.loader().withClock(CLOCK)
            .withMessageFactory(MessagePolicyFactory.of("tag", o -> {
                made.incrementAndGet();
                String label = o.requireText("label");
                return new MessagePolicy() {
                    @Override
                    public MessageVerdict onFrame(io.wsgate.api.MessageContext c, io.wsgate.api.Frame f) {
                        return MessageVerdict.forward();
                    }

                    @Override
                    public String name() {
                        return "tag-" + label;
                    }
                };
            }))
            .withFactory(PolicyFactory.of("allow", o -> HandshakePolicy.of("allow", c -> HandshakeDecision.proceed())));

    private static final String SCOPES = """
            gateway:
              policies:
                - tag: { label: global, direction: inbound }
                - allow
            products:
              - name: gold
                subscriptionRequired: false
                policies:
                  - tag: { label: product }
            apis:
              - name: chat
                backendUrl: ws://127.0.0.1:9/
                products: [gold]
                policies:
                  - allow
                  - tag: { label: api, direction: outbound }
                onMessage:
                  - tag: { label: first, direction: both }
                  - base
                  - tag: { label: last, direction: inbound }
            """;

    private static List<String> names(EffectiveChain chain, Direction d) {
        return chain.messages().policies(d).stream().map(MessagePolicy::name).toList();
    }

    @Test
    void messagePoliciesComposeAcrossScopesPerDirectionWithTheBaseMarker() {
        GatewayConfig config = loader.parse(SCOPES, "gateway.yaml");

        EffectiveChain gold = config.chains("chat").orElseThrow().forProduct("gold").orElseThrow();
        assertThat(names(gold, Direction.CLIENT_TO_BACKEND))
                .containsExactly("tag-first", "tag-global", "tag-product", "tag-last");
        assertThat(names(gold, Direction.BACKEND_TO_CLIENT))
                .containsExactly("tag-first", "tag-product", "tag-api");
        assertThat(gold.policies()).extracting(HandshakePolicy::name).containsExactly("allow", "allow");
        assertThat(gold.explain()).contains("message policies:", "onMessage 'chat' inbound: tag-first",
                "global 'default' inbound: tag-global", "API 'chat' outbound: tag-api");
        EffectiveChain none = config.chains("chat").orElseThrow().withoutProduct();
        assertThat(names(none, Direction.CLIENT_TO_BACKEND)).containsExactly("tag-first", "tag-global", "tag-last");
    }

    @Test
    void anApiWithoutMessagePoliciesHasEmptyChains() {
        GatewayConfig config = loader.parse("""
                apis:
                  - name: echo
                    backendUrl: ws://127.0.0.1:9/
                """, "gateway.yaml");

        assertThat(config.chains("echo").orElseThrow().withoutProduct().messages().isEmpty()).isTrue();
    }

    @Test
    void aMessagePolicyInOnHandshakeIsRefusedWhereItStands() {
        GatewayFileException e = catchThrowableOfType(GatewayFileException.class, () -> loader.parse("""
                apis:
                  - name: chat
                    backendUrl: ws://127.0.0.1:9/
                    onHandshake:
                      - allow
                      - tag: { label: x }
                """, "gateway.yaml"));

        assertThat(e.getMessage()).startsWith("gateway.yaml:6:9: apis[0].onHandshake[1].tag:")
                .contains("'tag' is a message policy: put it in onMessage");
    }

    @Test
    void aHandshakePolicyInOnMessageIsRefusedWhereItStands() {
        GatewayFileException e = catchThrowableOfType(GatewayFileException.class, () -> loader.parse("""
                apis:
                  - name: chat
                    backendUrl: ws://127.0.0.1:9/
                    onMessage:
                      - check-origin: { allow: [https://app.example.com] }
                """, "gateway.yaml"));

        assertThat(e.getMessage()).startsWith("gateway.yaml:5:9: apis[0].onMessage[0].check-origin:")
                .contains("'check-origin' is a handshake policy: put it in onHandshake");
    }

    @Test
    void aBadDirectionAndAnUnknownOptionAreRefusedWhereTheyStand() {
        GatewayFileException direction = catchThrowableOfType(GatewayFileException.class, () -> loader.parse("""
                apis:
                  - name: chat
                    backendUrl: ws://127.0.0.1:9/
                    onMessage:
                      - tag: { label: x, direction: sideways }
                """, "gateway.yaml"));
        assertThat(direction.getMessage()).startsWith("gateway.yaml:5:37: apis[0].onMessage[0].tag.direction:")
                .contains("'sideways' is not a direction: use inbound");

        GatewayFileException unknown = catchThrowableOfType(GatewayFileException.class, () -> loader.parse("""
                apis:
                  - name: chat
                    backendUrl: ws://127.0.0.1:9/
                    onMessage:
                      - tag: { label: x, direction: inbound, colour: red }
                """, "gateway.yaml"));
        assertThat(unknown.getMessage()).contains("apis[0].onMessage[0].tag.colour").contains("unknown key 'colour'");

        GatewayFileException type = catchThrowableOfType(GatewayFileException.class, () -> loader.parse("""
                apis:
                  - name: chat
                    backendUrl: ws://127.0.0.1:9/
                    onMessage:
                      - no-such-thing
                """, "gateway.yaml"));
        assertThat(type.getMessage()).startsWith("gateway.yaml:5:9:").contains("unknown policy type 'no-such-thing'")
                .contains("custom: [allow, tag]");
    }

    @Test
    void twoBaseMarkersInOnMessageAreRefused() {
        assertThatThrownBy(() -> loader.parse("""
                apis:
                  - name: chat
                    backendUrl: ws://127.0.0.1:9/
                    onMessage: [base, base]
                """, "gateway.yaml")).isInstanceOf(GatewayFileException.class).hasMessageContaining("a second 'base' marker");
    }

    @Test
    void aMessageFactoryFoundThroughServiceLoaderIsUsedAndMayNotTakeAHandshakeType() {
        URLClassLoader cl = new URLClassLoader(new URL[] {MessagePolicyFileTest.class.getResource("upper-service/")},
                MessagePolicyFileTest.class.getClassLoader());
        GatewayConfig config = GatewayFiles.loader().withClassLoader(cl).parse("""
                apis:
                  - name: chat
                    backendUrl: ws://127.0.0.1:9/
                    onMessage: [upper-case]
                """, "gateway.yaml");
        assertThat(names(config.chains("chat").orElseThrow().withoutProduct(), Direction.BACKEND_TO_CLIENT))
                .containsExactly("upper-case");

        assertThatThrownBy(() -> GatewayFiles.loader().withMessageFactory(MessagePolicyFactory.of("ip-filter",
                o -> (c, f) -> MessageVerdict.forward())).parse("apis: []", "gateway.yaml"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("claims the built-in type 'ip-filter'");
        assertThatThrownBy(() -> loader.withMessageFactory(MessagePolicyFactory.of("allow",
                o -> (c, f) -> MessageVerdict.forward())).parse("apis: []", "gateway.yaml"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("names the handshake policy");
    }

    @Test
    void aReloadKeepsTheInstancesOfUnchangedMessagePoliciesAndMakesChangedOnesAfresh() throws Exception {
        Path f = dir.resolve("gateway.yaml");
        Files.writeString(f, SCOPES);
        try (ReloadingGatewayFile file = loader.reloadable(f)) {
            EffectiveChain before = file.config().chains("chat").orElseThrow().forProduct("gold").orElseThrow();
            int madeBefore = made.get();

            Files.writeString(f, SCOPES.replace("label: last", "label: changed"));
            ReloadResult r = file.reload();
            assertThat(r.outcome()).as(r.message()).isEqualTo(ReloadResult.Outcome.APPLIED);

            EffectiveChain after = file.config().chains("chat").orElseThrow().forProduct("gold").orElseThrow();
            List<MessagePolicy> in = after.messages().policies(Direction.CLIENT_TO_BACKEND);
            List<MessagePolicy> old = before.messages().policies(Direction.CLIENT_TO_BACKEND);
            assertThat(in.get(0)).isSameAs(old.get(0));
            assertThat(in.get(1)).isSameAs(old.get(1));
            assertThat(in.get(2)).isSameAs(old.get(2));
            assertThat(in.get(3)).isNotSameAs(old.get(3));
            assertThat(in.get(3).name()).isEqualTo("tag-changed");
            assertThat(made.get() - madeBefore).as("only the changed entry was made again").isEqualTo(1);
        }
    }
}
