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
        assertThatThrownBy(() -> Headers.of("X-Evil", "a\r\nSet-Cookie: x")).hasMessageContaining("CR or LF");
        assertThatThrownBy(() -> Headers.of("", "v")).hasMessageContaining("empty");
        assertThatThrownBy(() -> Headers.of("odd")).hasMessageContaining("alternate");
    }

    @Test
    void neverPrintsValues() {
        assertThat(Headers.of("Authorization", "Bearer secret").toString()).doesNotContain("secret");
    }
}
