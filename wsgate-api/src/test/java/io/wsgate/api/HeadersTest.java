package io.wsgate.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeadersTest {

    private final Headers headers = Headers.of("Cookie", "a=1", "X-Tenant", "acme", "cookie", "b=2");

    @Test
    void findsNamesWhateverTheirCase() {
        assertThat(headers.first("COOKIE")).contains("a=1");
        assertThat(headers.all("cookie")).containsExactly("a=1", "b=2");
        assertThat(headers.contains("x-tenant")).isTrue();
        assertThat(headers.first("Missing")).isEmpty();
        assertThat(headers.names()).containsExactly("cookie", "x-tenant");
    }

    @Test
    void changesReturnNewHeadersAndLeaveTheOriginalAlone() {
        Headers changed = headers.with("cookie", "c=3").without("X-Tenant").plus("X-New", "1");
        assertThat(changed.all("Cookie")).containsExactly("c=3");
        assertThat(changed.contains("X-Tenant")).isFalse();
        assertThat(changed.first("x-new")).contains("1");
        assertThat(headers.all("Cookie")).containsExactly("a=1", "b=2");
    }

    @Test
    void setKeepsThePlaceOfTheFirstFieldOfThatName() {
        Headers changed = headers.with("X-TENANT", "other");
        assertThat(changed.fields()).extracting(Headers.Field::name).containsExactly("Cookie", "X-TENANT", "cookie");
    }

    @Test
    void refusesLineBreaksAndEmptyNames() {
        assertThatThrownBy(() -> Headers.of("X-Evil", "a\r\nSet-Cookie: x")).hasMessageContaining("CR or LF")
                .hasMessageContaining("'X-Evil'").hasMessageNotContaining("Set-Cookie");
        assertThatThrownBy(() -> Headers.of("", "v")).hasMessageContaining("empty");
        assertThatThrownBy(() -> Headers.of("odd")).hasMessageContaining("alternate");
    }

    @Test
    void neverPrintsValues() {
        assertThat(Headers.of("Authorization", "Bearer secret").toString()).doesNotContain("secret");
    }

    @Test
    void refusesANameThatIsNotAnRfc7230TokenNamingIt() {
        assertThatThrownBy(() -> Headers.of("X Evil", "v")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("header name 'X Evil' is not a token").hasMessageContaining("character 2");
        assertThatThrownBy(() -> Headers.builder().add("X-Evil:", "v")).hasMessageContaining("'X-Evil:'");
        assertThatThrownBy(() -> Headers.builder().add("X-\u00e9", "v")).hasMessageContaining("'X-\\u00e9'");
        assertThatThrownBy(() -> Headers.empty().with("(x)", "v")).hasMessageContaining("not a token");
        assertThatThrownBy(() -> Headers.empty().plus("X-Evil\r\n", "v")).hasMessageContaining("not a token");
    }

    @Test
    void refusesNulInAValueAndAcceptsEveryOtherByteALegitimateRequestCarries() {
        assertThatThrownBy(() -> Headers.of("X-Evil", "a\u0000b")).hasMessageContaining("NUL").hasMessageContaining("'X-Evil'");
        Headers legal = Headers.of("X-Odd!#$%&'*+-.^_`|~9", "tab\there, obs-text \u00ff\u0080, quotes \"\" and ;=:", "X-Empty", "");
        assertThat(legal.first("x-odd!#$%&'*+-.^_`|~9")).contains("tab\there, obs-text \u00ff\u0080, quotes \"\" and ;=:");
        assertThat(legal.first("X-Empty")).contains("");
    }

    @Test
    void splitsAListValueIntoItsElementsOnce() {
        Headers h = Headers.of("Connection", "keep-alive, Upgrade", "connection", " ,close,", "Forwarded", "for=\"a,b\";proto=ws, for=c");
        assertThat(h.elements("Connection")).containsExactly("keep-alive", "Upgrade", "close");
        assertThat(h.hasToken("connection", "upgrade")).isTrue();
        assertThat(h.hasToken("Connection", "upgrad")).isFalse();
        assertThat(h.hasToken("Upgrade", "websocket")).isFalse();
        assertThat(h.elements("Forwarded")).containsExactly("for=\"a,b\";proto=ws", "for=c");
        assertThat(Headers.listContains("websocket, h2c", "WebSocket")).isTrue();
        assertThat(Headers.listElements("")).isEmpty();
    }
}
