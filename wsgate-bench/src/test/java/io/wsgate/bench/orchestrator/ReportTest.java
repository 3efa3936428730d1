package io.wsgate.bench.orchestrator;

import io.wsgate.bench.driver.ConcurrencyResult;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTest {

    private static Target target(String name, Target.Kind kind) {
        URI uri = URI.create("ws://127.0.0.1:1/echo");
        return new Target(name, kind, uri, uri, () -> List.of(1L), Optional.empty(), Optional.empty());
    }

    private static final Target DIRECT = target("direct", Target.Kind.DIRECT);
    private static final Target WSGATE = target("wsgate", Target.Kind.WSGATE);
    private static final Target CONNECTOR = target("connector", Target.Kind.WSGATE);
    private static final Target NGINX = target("nginx-default", Target.Kind.NGINX);

    @Test
    void everyGatewayIsComparedToDirectAndNginxAndEachVariantToWsgate() {
        assertThat(Report.compared(CONNECTOR, NGINX)).isTrue();
        assertThat(Report.compared(WSGATE, NGINX)).isTrue();
        assertThat(Report.compared(CONNECTOR, DIRECT)).isTrue();
        assertThat(Report.compared(CONNECTOR, WSGATE)).isTrue();
        assertThat(Report.compared(NGINX, WSGATE)).isFalse();
        assertThat(Report.compared(WSGATE, CONNECTOR)).isFalse();
        assertThat(Report.compared(DIRECT, NGINX)).isFalse();
        assertThat(Report.compared(WSGATE, WSGATE)).isFalse();
    }

    @Test
    void theConcurrencyTableHasARowPerTargetWithItsStatusAndMemory() {
        Map<String, Held> held = new LinkedHashMap<>();
        held.put("wsgate", new Held(new ConcurrencyResult(100, 100, 100, 0, 100, 1_000_000_000L),
                new Held.Memory(200 * 1024, 10 * 1024, 1024, 30), new Held.Memory(202 * 1024, 11 * 1024, 1124, 31), 4, "ok"));
        held.put("x48", new Held(new ConcurrencyResult(100, 60, 60, 40, 60, 1),
                new Held.Memory(100 * 1024, 10 * 1024, 1024, 30), new Held.Memory(101 * 1024, 47 * 1024, 1024, 30), 4,
                "OOM (Java heap space), 40 refused"));
        held.put("nginx-default", new Held(new ConcurrencyResult(100, 100, 100, 0, 100, 1),
                new Held.Memory(5 * 1024, Double.NaN, Double.NaN, 2), new Held.Memory(6 * 1024, Double.NaN, Double.NaN, 2), 4, "ok"));
        Target x48 = target("x48", Target.Kind.WSGATE);
        StringBuilder out = new StringBuilder();

        Report.concurrency(out, List.of(DIRECT, WSGATE, x48, target("x8", Target.Kind.WSGATE), NGINX), held,
                Map.of("x8", "x8 exited before it was ready"), 100, false);

        String report = out.toString();
        Map<String, Map<String, String>> rows = rows(report);
        assertThat(rows.keySet()).containsExactly("wsgate", "x48", "nginx-default", "x8");
        assertThat(rows.get("wsgate")).containsEntry("status", "ok").containsEntry("RSS MiB", "202.0")
                .containsEntry("RSS KiB/pair", "20.5").containsEntry("heap MiB", "11.0").containsEntry("heap KiB/pair", "10.2")
                .containsEntry("direct MiB", "1.1").containsEntry("direct KiB/pair", "1.0").containsEntry("threads", "31")
                .containsEntry("threads added", "1").containsEntry("memory KiB/pair", "30.7");
        assertThat(rows.get("x48")).containsEntry("echoed", "60").containsEntry("alive at end", "60")
                .containsEntry("status", "OOM (Java heap space), 40 refused");
        assertThat(rows.get("x8")).containsEntry("status", "did not start").containsEntry("echoed", "0")
                .containsEntry("RSS MiB", "-");
        assertThat(rows.get("nginx-default")).containsEntry("RSS MiB", "6.0").containsEntry("memory KiB/pair", "10.2")
                .containsEntry("heap MiB", "-").containsEntry("threads", "2");
        assertThat(report).contains("- wsgate ÷ nginx-default: memory/pair 3.00×, pairs echoed 1.00×\n");
        assertThat(report).contains("- x48 ÷ nginx-default: memory/pair ", "pairs echoed 0.60× (x48: OOM (Java heap space), 40 refused)");
        assertThat(report).contains("- x48 ÷ wsgate: memory/pair ");
        assertThat(report).doesNotContain("nginx-default ÷ wsgate", "÷ x48", "÷ direct");
    }

    /** The report's table, by target and column. */
    private static Map<String, Map<String, String>> rows(String report) {
        List<List<String>> table = report.lines().filter(l -> l.startsWith("|") && !l.startsWith("| -"))
                .map(l -> List.of(l.substring(1, l.length() - 1).split("\\|")).stream().map(String::trim).toList())
                .toList();
        List<String> header = table.get(0);
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (List<String> row : table.subList(1, table.size())) {
            Map<String, String> cells = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                cells.put(header.get(i), row.get(i));
            }
            rows.put(row.get(0), cells);
        }
        return rows;
    }
}
