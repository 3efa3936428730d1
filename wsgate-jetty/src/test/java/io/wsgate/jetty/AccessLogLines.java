package io.wsgate.jetty;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * The access log's lines as the tests' SLF4J binding (slf4j-simple, on {@code System.err}) writes
 * them: captured while open, still written through to the original stream.
 */
final class AccessLogLines implements AutoCloseable {

    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)");

    private final PrintStream original = System.err;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private AccessLogLines() {
        System.setErr(new PrintStream(new Tee(), true, StandardCharsets.UTF_8));
    }

    static AccessLogLines capture() {
        return new AccessLogLines();
    }

    /** @return the fields of the pair line of this API, once it has been written (10 s at most) */
    Map<String, String> pairOf(String api) {
        String[] found = new String[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (String line : lines) {
                if (line.contains(" api=" + api + " ") && line.contains(" status=101 ")) {
                    found[0] = line;
                    return true;
                }
            }
            return false;
        });
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(found[0].substring(found[0].indexOf("time=")));
        while (m.find()) {
            String v = m.group(2);
            fields.put(m.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
        }
        return fields;
    }

    @Override
    public void close() {
        System.setErr(original);
    }

    private final class Tee extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            original.write(b);
            if (b == '\n') {
                String s = line.toString(StandardCharsets.UTF_8);
                if (s.contains(" wsgate.access - ")) {
                    lines.add(s);
                }
                line.reset();
            } else {
                line.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public void flush() {
            original.flush();
        }
    }
}
