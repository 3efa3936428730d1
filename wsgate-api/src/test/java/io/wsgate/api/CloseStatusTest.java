package io.wsgate.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloseStatusTest {

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1011, 1014, 3000, 4000, 4999})
    void codesAFrameMayCarry(int code) {
        assertThat(CloseStatus.isWireCode(code)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
    void reservedAndLocalOnlyCodesMayNot(int code) {
        assertThat(CloseStatus.isWireCode(code)).isFalse();
    }

    @Test
    void aStatusChecksItsCodeAndItsReasonLength() {
        assertThat(CloseStatus.of(CloseStatus.NORMAL, "bye").isWire()).isTrue();
        assertThat(CloseStatus.of(CloseStatus.ABNORMAL, "").isWire()).isFalse();
        assertThatThrownBy(() -> CloseStatus.of(999, "")).hasMessageContaining("999");
        assertThatThrownBy(() -> CloseStatus.of(1000, "x".repeat(124))).hasMessageContaining("124 bytes");
        assertThat(CloseStatus.of(1000, "x".repeat(123)).reason()).hasSize(123);
        assertThatThrownBy(() -> CloseStatus.of(1000, "é".repeat(62))).hasMessageContaining("124 bytes");
    }

    @Test
    void truncatingCutsTheReasonAtACharacterBoundary() {
        String euros = "€".repeat(50); // 150 bytes, 3 each
        CloseStatus s = CloseStatus.truncating(1001, euros);
        assertThat(s.reason()).isEqualTo("€".repeat(41));
        assertThat(s.reason().getBytes(StandardCharsets.UTF_8)).hasSize(123);
        assertThat(CloseStatus.truncating(1001, "a" + "€".repeat(50)).reason()).isEqualTo("a" + "€".repeat(40));
        assertThat(CloseStatus.truncating(1001, "short").reason()).isEqualTo("short");
    }
}
