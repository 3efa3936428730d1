package io.wsgate.consumer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's "Embed it" snippet says what EmbedIt compiles: its imports and its lines, in order. */
class ReadmeTest {

    private static final Path README = Path.of("../../README.md");
    private static final Path EMBED_IT = Path.of("src/main/java/io/wsgate/consumer/EmbedIt.java");

    @Test
    void theReadmeShowsTheEmbedItCode() throws IOException {
        assertThat(README).as("this project lives in wsgate-examples/consumer of the wsgate repository").exists();
        List<String> snippet = lines(embedSnippet(Files.readString(README)));
        List<String> source = lines(Files.readString(EMBED_IT));

        assertThat(snippet).contains("import io.wsgate.jetty.WsGateHandler;", "server.start();");
        int at = 0;
        for (String line : snippet) {
            int found = source.subList(at, source.size()).indexOf(line);
            assertThat(found).as("README line, in EmbedIt.java after the previous one: %s", line).isNotNegative();
            at += found + 1;
        }
    }

    private static String embedSnippet(String readme) {
        int section = readme.indexOf("\n## Embed it\n");
        assertThat(section).as("the README's \"Embed it\" section").isNotNegative();
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
