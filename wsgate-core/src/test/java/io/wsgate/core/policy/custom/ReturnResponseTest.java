package io.wsgate.core.policy.custom;

import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.internal.policy.ChainResult;
import io.wsgate.core.policy.TestChains;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReturnResponseTest {

    private final TestChains tester = TestChains.create();

    @Test
    void refusesEveryHandshakeWithTheConfiguredResponse() {
        ReturnResponse p = ReturnResponse.of(HandshakeDecision.reject(503, "MAINTENANCE", "Back soon.")
                .withHeader("Retry-After", "60").withBody("{\"down\":true}"));
        ChainResult.Rejected r = tester.rejected(tester.run(p, HandshakeRequest.builder().build()));
        assertThat(r.rejection().status()).isEqualTo(503);
        assertThat(r.rejection().headers().first("Retry-After")).contains("60");
        assertThat(r.rejection().body()).isEqualTo("{\"down\":true}");
    }

    @Test
    void refusesABadStatusOrCodeWhenConfigured() {
        assertThatThrownBy(() -> ReturnResponse.of(200, "OK", "no")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("200");
        assertThatThrownBy(() -> ReturnResponse.of(403, "bad code", "no")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bad code'");
    }
}
