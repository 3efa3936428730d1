package io.wsgate.jetty.internal.relay;

import io.wsgate.core.transport.SideEnd;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/** The close state machine alone, step by step as its connection drives it. */
class CloseHandshakeTest {

    private final CloseHandshake close = new CloseHandshake();

    @Test
    void aPeerThatClosesFirstOutOfAPairIsAnsweredWithItsCodeAndNoReasonThenTheConnectionCloses() {
        close.received(4000, "bye");
        assertThat(close.relayed(false)).isEqualTo(CloseHandshake.AfterRelayed.ANSWER);
        assertThat(close.echo().getShort(0)).isEqualTo((short) 4000);
        assertThat(close.echo().remaining()).isEqualTo(2);
        assertThat(close.claim()).isTrue();
        assertThat(close.written(false)).isEqualTo(CloseHandshake.AfterWritten.CLOSE);
        assertThat(close.end(null, false)).isEqualTo(new SideEnd(SideEnd.Kind.CLOSED, 4000, "bye"));
    }

    @Test
    void aPeerThatClosesFirstInAPairWaitsForTheRelaysAnswerThenTheConnectionCloses() {
        close.received(1000, "bye");
        assertThat(close.relayed(true)).isEqualTo(CloseHandshake.AfterRelayed.WAIT);
        // the other side's answer, sent by the relay
        assertThat(close.claim()).isTrue();
        assertThat(close.written(false)).isEqualTo(CloseHandshake.AfterWritten.CLOSE);
    }

    @Test
    void anAnswerThatComesBeforeTheRelayIsDoneWithThePeersCloseClosesWhenItIs() {
        close.received(1000, "bye");
        close.claim();
        assertThat(close.written(true)).isEqualTo(CloseHandshake.AfterWritten.WAIT);
        assertThat(close.relayed(true)).isEqualTo(CloseHandshake.AfterRelayed.CLOSE);
    }

    @Test
    void anAnswerThatNeverComesIsWrittenAtTheDeadlineWithOneMoreDeadlineForIt() {
        close.received(4000, "bye");
        assertThat(close.arm(() -> { })).isTrue();
        assertThat(close.relayed(true)).isEqualTo(CloseHandshake.AfterRelayed.WAIT);
        assertThat(close.expired()).isEqualTo(CloseHandshake.AtDeadline.ANSWER);
        assertThat(close.echo().getShort(0)).isEqualTo((short) 4000);
        assertThat(close.claim()).isTrue();
        assertThat(close.arm(() -> { })).as("armed again for the answer").isTrue();
        assertThat(close.expired()).isEqualTo(CloseHandshake.AtDeadline.ABORT);
    }

    @Test
    void anEmptyCloseIsAnsweredEmpty() {
        close.received(1005, "");
        assertThat(close.echo().remaining()).isZero();
    }

    @Test
    void whenTheGatewayClosesFirstItWaitsForThePeersClose() {
        assertThat(close.claim()).isTrue();
        assertThat(close.claim()).as("one close frame, ever").isFalse();
        assertThat(close.isSent()).isTrue();
        assertThat(close.written(false)).isEqualTo(CloseHandshake.AfterWritten.WAIT);
        close.received(1001, "");
        assertThat(close.relayed(true)).isEqualTo(CloseHandshake.AfterRelayed.CLOSE);
    }

    @Test
    void thePeersCloseArrivingWhileOursIsBeingWrittenClosesOnceOursIsWritten() {
        close.claim();
        close.received(1000, "");
        assertThat(close.relayed(true)).isEqualTo(CloseHandshake.AfterRelayed.NOTHING);
        assertThat(close.written(false)).isEqualTo(CloseHandshake.AfterWritten.CLOSE);
    }

    @Test
    void aPeerThatBrokeARuleGetsItsCloseFrameAndIsLeftToLeave() {
        assertThat(close.fail(1002, "Reserved bits set")).as("nothing written yet").isFalse();
        close.claim();
        assertThat(close.written(false)).isEqualTo(CloseHandshake.AfterWritten.LINGER);
        assertThat(close.fail(1002, "again")).as("written: linger at once").isTrue();
        assertThat(close.end(null, false)).isEqualTo(new SideEnd(SideEnd.Kind.PROTOCOL_ERROR, 1002, "Reserved bits set"));
    }

    @Test
    void theDeadlineAbortsAHandshakeThatDidNotEnd() {
        close.claim();
        assertThat(close.arm(() -> { })).isTrue();
        assertThat(close.arm(() -> { })).as("one pending deadline").isFalse();
        assertThat(close.expired()).isEqualTo(CloseHandshake.AtDeadline.ABORT);
        assertThat(close.disarm()).isNull();
    }

    @Test
    void anEndWithoutACloseFrameSaysHowTheConnectionWent() {
        assertThat(close.end(new IOException("reset"), false).kind()).isEqualTo(SideEnd.Kind.DISCONNECTED);
        assertThat(close.end(null, false).kind()).isEqualTo(SideEnd.Kind.DISCONNECTED);
        assertThat(close.end(new TimeoutException(), false).kind()).isEqualTo(SideEnd.Kind.IDLE_TIMEOUT);
        assertThat(close.end(null, true).kind()).isEqualTo(SideEnd.Kind.IDLE_TIMEOUT);
        assertThat(close.end(new IllegalStateException("bug"), false)).isEqualTo(new SideEnd(SideEnd.Kind.FAILED, 1006, "bug"));
    }
}
