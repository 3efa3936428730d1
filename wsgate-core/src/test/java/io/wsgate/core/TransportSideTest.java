package io.wsgate.core;

import io.wsgate.core.transport.TransportSide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class TransportSideTest {

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1011, 1014, 3000, 4000, 4999})
    void codesAFrameMayCarry(int code) {
        assertThat(TransportSide.isWireCloseCode(code)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
    void reservedAndLocalOnlyCodes(int code) {
        assertThat(TransportSide.isWireCloseCode(code)).isFalse();
    }
}
