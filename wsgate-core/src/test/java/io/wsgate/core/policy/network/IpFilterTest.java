package io.wsgate.core.policy.network;

import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.internal.policy.ChainResult;
import io.wsgate.core.policy.TestChains;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpFilterTest {

    private final TestChains tester = TestChains.create();

    private static HandshakeRequest from(String ip, String... headers) {
        HandshakeRequest.Builder b = HandshakeRequest.builder().clientAddress(new InetSocketAddress(ip, 40000));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b.build();
    }

    private void assertForbidden(IpFilter filter, HandshakeRequest request) {
        ChainResult.Rejected r = tester.rejected(tester.run(filter, request));
        assertThat(r.rejection().status()).isEqualTo(403);
        assertThat(r.rejection().code()).isEqualTo("IP_FORBIDDEN");
    }

    @Test
    void admitsAnAddressInAnAllowedIpv4Range() {
        IpFilter f = IpFilter.builder().allow("203.0.113.0/24").build();
        assertThat(tester.run(f, from("203.0.113.9"))).isInstanceOf(ChainResult.Admitted.class);
        assertForbidden(f, from("203.0.114.9"));
    }

    @Test
    void admitsAnAddressInAnAllowedIpv6Range() {
        IpFilter f = IpFilter.builder().allow("2001:db8::/32").build();
        assertThat(tester.run(f, from("2001:db8:1::5"))).isInstanceOf(ChainResult.Admitted.class);
        assertForbidden(f, from("2001:db9::5"));
        assertForbidden(f, from("203.0.113.9"));
    }

    @Test
    void matchesPrefixesThatDoNotEndOnAByte() {
        IpFilter f = IpFilter.builder().allow("10.0.0.0/12").build();
        assertThat(tester.run(f, from("10.15.255.255"))).isInstanceOf(ChainResult.Admitted.class);
        assertForbidden(f, from("10.16.0.0"));
    }

    @Test
    void letsForbiddenRangesWinOverAllowedOnes() {
        IpFilter f = IpFilter.builder().allow("10.0.0.0/8").forbid("10.1.2.3", "::1").build();
        assertForbidden(f, from("10.1.2.3"));
        assertThat(tester.run(f, from("10.1.2.4"))).isInstanceOf(ChainResult.Admitted.class);
        assertForbidden(IpFilter.builder().forbid("::1").build(), from("::1"));
        assertThat(tester.run(IpFilter.builder().forbid("::1").build(), from("127.0.0.1"))).isInstanceOf(ChainResult.Admitted.class);
    }

    @Test
    void ignoresForwardingHeadersFromAnUntrustedPeer() {
        IpFilter f = IpFilter.builder().allow("198.51.100.7").build();
        assertForbidden(f, from("203.0.113.1", "X-Forwarded-For", "198.51.100.7"));
    }

    @Test
    void takesTheNearestUntrustedAddressBehindTrustedProxies() {
        IpFilter f = IpFilter.builder().allow("198.51.100.7")
                .clientAddresses(ClientAddresses.trusting("10.0.0.0/8")).build();
        assertThat(tester.run(f, from("10.0.0.1", "X-Forwarded-For", "1.2.3.4, 198.51.100.7, 10.0.0.9")))
                .isInstanceOf(ChainResult.Admitted.class);
        assertThat(tester.run(f, from("10.0.0.1", "Forwarded", "for=1.2.3.4, for=\"198.51.100.7:5555\"")))
                .isInstanceOf(ChainResult.Admitted.class);
        assertForbidden(f, from("10.0.0.1", "X-Forwarded-For", "198.51.100.7, 1.2.3.4"));
        assertForbidden(f, from("10.0.0.1", "X-Forwarded-For", "not-an-address"));
    }

    @Test
    void refusesBadRangesWhenConfigured() {
        assertThatThrownBy(() -> IpFilter.builder().allow("10.0.0.0/33"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'10.0.0.0/33'");
        assertThatThrownBy(() -> IpFilter.builder().allow("example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'example.com' is not an IP address");
        assertThatThrownBy(() -> IpFilter.builder().allow("300.1.1.1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'300.1.1.1'");
        assertThatThrownBy(() -> IpFilter.builder().forbid("::1/x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad prefix length");
        assertThatThrownBy(() -> IpFilter.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
    }
}
