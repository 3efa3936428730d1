package io.wsgate.micrometer;

import io.micrometer.core.instrument.Tag;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** What a Prometheus scrape shows of the meters, with the builder's common tags and histograms. */
class PrometheusScrapeTest extends MetricsTestBase {

    @Test
    void aScrapeShowsEveryMeterWithPrometheusNamesAndTheCommonTags() throws Exception {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry = prometheus;
        startGateway(WsGateMetrics.builder(prometheus).tags(List.of(Tag.of("gateway", "g1"))).build(),
                api("echo", "/echo").build());

        TestClient c = TestClient.connect(client, gw("/echo"));
        c.sendText("hello");
        assertThat(c.nextText()).isEqualTo("hello");
        await().atMost(WAIT).until(() -> prometheus.scrape()
                .contains("wsgate_messages_total{api=\"echo\",direction=\"outbound\",gateway=\"g1\"} 1.0"));
        String live = prometheus.scrape();
        assertThat(live).contains("wsgate_pairs_active{api=\"echo\",gateway=\"g1\"} 1.0")
                .contains("wsgate_bytes_total{api=\"echo\",direction=\"inbound\",gateway=\"g1\"} 5.0");
        c.closeNormally();
        assertThat(upgradeStatus("/nowhere")).isEqualTo(404);
        await().atMost(WAIT).until(() -> prometheus.scrape().contains("wsgate_pairs_active{api=\"echo\",gateway=\"g1\"} 0.0"));

        String scrape = prometheus.scrape();
        assertThat(scrape)
                .contains("wsgate_handshakes_pending{api=\"echo\",gateway=\"g1\"} 0.0")
                .contains("wsgate_handshakes_pending{api=\"none\",gateway=\"g1\"} 0.0")
                .contains("wsgate_handshakes_total{api=\"echo\",error=\"none\",gateway=\"g1\",outcome=\"accepted\",status=\"101\"} 1.0")
                .contains("wsgate_handshakes_total{api=\"none\",error=\"API_NOT_FOUND\",gateway=\"g1\",outcome=\"rejected\",status=\"404\"} 1.0")
                .contains("wsgate_handshake_duration_seconds_count{api=\"echo\",gateway=\"g1\"} 1")
                .contains("wsgate_messages_total{api=\"echo\",direction=\"inbound\",gateway=\"g1\"} 1.0")
                .contains("wsgate_bytes_total{api=\"echo\",direction=\"outbound\",gateway=\"g1\"} 5.0")
                .contains("wsgate_closes_total{api=\"echo\",by=\"client\",cause=\"normal\",code=\"1000\",gateway=\"g1\"} 1.0")
                .contains("wsgate_pair_duration_seconds_count{api=\"echo\",gateway=\"g1\"} 1")
                .as("no percentiles histogram by default").doesNotContain("_bucket");
    }

    @Test
    void percentilesHistogramsAreOptIn() throws Exception {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry = prometheus;
        startGateway(WsGateMetrics.builder(prometheus).percentilesHistogram(true).build(), api("echo", "/echo").build());

        TestClient.connect(client, gw("/echo")).closeNormally();

        await().atMost(WAIT).until(() -> prometheus.scrape().contains("wsgate_pair_duration_seconds_count{api=\"echo\"} 1"));
        assertThat(prometheus.scrape()).contains("wsgate_handshake_duration_seconds_bucket{api=\"echo\",le=")
                .contains("wsgate_pair_duration_seconds_bucket{api=\"echo\",le=");
    }

    @Test
    void aCommonTagNamedApiIsRefused() {
        assertThatThrownBy(() -> WsGateMetrics.builder(registry).tags(List.of(Tag.of("api", "x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'api' is the API's name on every meter");
    }
}
