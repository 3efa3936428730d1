package io.wsgate.examples;

import io.wsgate.api.MessageVerdict;
import io.wsgate.testing.MessagePolicyTester;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.wsgate.api.MessageVerdict.Kind.CLOSE;
import static io.wsgate.api.MessageVerdict.Kind.DROP;
import static io.wsgate.api.MessageVerdict.Kind.FORWARD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The example message policy, without a server (the end-to-end test comes with the relay's onMessage wiring). */
class BannedWordsTest {

    private final BannedWords banned = new BannedWords(List.of("spam", "scam"));
    private final MessagePolicyTester.Pair pair = MessagePolicyTester.create().open(banned);

    @Test
    void dropsAMessageHoldingABannedWordInAnyCaseAndLetsTheRestThrough() {
        assertThat(pair.inbound().text("hello").kind()).isEqualTo(FORWARD);
        assertThat(pair.inbound().text("buy SpAm now").kind()).isEqualTo(DROP);
        assertThat(pair.inbound().text("scam").kind()).isEqualTo(DROP);
        assertThat(pair.inbound().text("spa m").kind()).isEqualTo(FORWARD);
        assertThat(pair.inbound().binary("spam".getBytes()).kind()).isEqualTo(FORWARD); // text only
        assertThat(pair.inbound().relayedText()).containsExactly("hello", "spa m");
        assertThat(banned.dropped()).isEqualTo(2);
    }

    @Test
    void findsAWordSplitAcrossFragmentsAndClosesWhenTheMessageCannotBeWithdrawn() {
        assertThat(pair.inbound().textFragments("it is sp", "am")).extracting(MessageVerdict::kind)
                .containsExactly(FORWARD, CLOSE);
        assertThat(pair.closeVerdict().closeCode()).isEqualTo(1008);
        assertThat(pair.openInstances()).isZero();
    }

    @Test
    void aWordInTheFirstFragmentDropsTheWholeMessage() {
        assertThat(pair.outbound().textFragments("spam", " and more")).extracting(MessageVerdict::kind)
                .containsExactly(DROP, DROP);
        assertThat(pair.outbound().textFragments("s", "c", "a", "m!")).extracting(MessageVerdict::kind)
                .containsExactly(FORWARD, FORWARD, FORWARD, CLOSE);
    }

    @Test
    void refusesBadWords() {
        assertThatThrownBy(() -> new BannedWords(List.of())).hasMessage("ban at least one word");
        assertThatThrownBy(() -> new BannedWords(List.of("é"))).hasMessageContaining("ASCII");
    }
}
