package io.wsgate.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The demo's options for a reconnect storm: the accept queue and the warm-up before listening. */
class DemoStartupTest {

    @Test
    void listensWithTheMeasuredAcceptQueueUnlessToldOtherwise() throws Exception {
        assertThat(DemoOptions.parse().acceptQueue()).isEqualTo(DemoOptions.DEFAULT_ACCEPT_QUEUE);
        try (DemoGateway demo = DemoGateway.start(DemoOptions.parse("--port", "0"))) {
            assertThat(demo.connector().getAcceptQueueSize()).isEqualTo(DemoOptions.DEFAULT_ACCEPT_QUEUE);
        }
        try (DemoGateway demo = DemoGateway.start(DemoOptions.parse("--port", "0", "--accept-queue=64"))) {
            assertThat(demo.connector().getAcceptQueueSize()).isEqualTo(64);
        }
        assertThat(DemoOptions.USAGE).contains("--accept-queue N", "--warm-up N");
    }

    @Test
    void servesFromAPoolOfAtMostTheThreadsAskedFor() throws Exception {
        assertThat(DemoOptions.parse().threads()).isEqualTo(DemoOptions.DEFAULT_THREADS);
        try (DemoGateway demo = DemoGateway.start(DemoOptions.parse("--port", "0", "--threads", "12"))) {
            assertThat(((org.eclipse.jetty.util.thread.QueuedThreadPool) demo.connector().getServer().getThreadPool())
                    .getMaxThreads()).isEqualTo(12);
            assertThat(DemoGatewayTest.echo(URI.create(demo.uri() + "/echo"), "on twelve threads")).isEqualTo("on twelve threads");
        }
        assertThat(DemoOptions.USAGE).contains("--threads N");
    }

    @Test
    void refusesABadAcceptQueueOrWarmUpWithOneLineAndStatus2() {
        for (String[] args : new String[][] {{"--accept-queue", "0"}, {"--accept-queue", "many"}, {"--accept-queue"},
            {"--warm-up", "-1"}, {"--warm-up", "x"}, {"--threads", "7"}, {"--threads", "some"}}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = DemoGateway.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(status).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8).strip()).as(String.join(" ", args))
                    .startsWith("wsgate-demo: --").doesNotContain("\n");
        }
    }

    @Test
    void theWarmUpRunsItsHandshakesThroughAThrowAwayGatewayAndLeavesNothingBehind() throws Exception {
        assertThat(DemoWarmUp.run(40, DemoOptions.Connector.HANDLER)).isEqualTo(40);
        assertThat(DemoWarmUp.run(40, DemoOptions.Connector.DEDICATED)).isEqualTo(40);
        try (DemoGateway demo = DemoGateway.start(DemoOptions.parse("--port", "0", "--warm-up", "20"))) {
            assertThat(demo.gateway().config().apis()).singleElement()
                    .satisfies(api -> assertThat(api.urlSuffix()).isEqualTo("/echo"));
            assertThat(DemoGatewayTest.echo(URI.create(demo.uri() + "/echo"), "after the warm-up")).isEqualTo("after the warm-up");
            await().atMost(10, TimeUnit.SECONDS).until(() -> demo.gateway().openPairs() == 0);
            assertThat(demo.gateway().pendingHandshakes()).isZero();
        }
        try (DemoGateway demo = DemoGateway.start(DemoOptions.parse("--port", "0", "--warm-up", "20", "--connector", "dedicated"))) {
            assertThat(DemoGatewayTest.echo(URI.create(demo.uri() + "/echo"), "dedicated, warmed up")).isEqualTo("dedicated, warmed up");
            assertThat(demo.connector().getAcceptQueueSize()).isEqualTo(DemoOptions.DEFAULT_ACCEPT_QUEUE);
            await().atMost(10, TimeUnit.SECONDS).until(() -> demo.gateway().openPairs() == 0);
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("wsgate-warm-up"));
    }
}
