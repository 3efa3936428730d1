package io.wsgate.jetty.internal.backend;

import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LiteralFirstResolverTest {

    @Test
    void ipLiteralsAreRecognisedAndHostNamesAreNot() {
        for (String literal : List.of("127.0.0.1", "10.1.2.3", "255.255.255.255", "::1", "[::1]", "fe80::1%lo")) {
            assertThat(LiteralFirstResolver.isIpLiteral(literal)).as(literal).isTrue();
        }
        for (String name : List.of("", "localhost", "backend.internal", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.", "1234.1.1.1",
                "1.2.3.a", "123.example.com")) {
            assertThat(LiteralFirstResolver.isIpLiteral(name)).as(name).isFalse();
        }
    }

    @Test
    void aLiteralIsResolvedOnTheCallingThreadAndANameGoesToTheNameResolver() throws Exception {
        List<String> delegated = new ArrayList<>();
        SocketAddressResolver names = (host, port, context, promise) -> {
            delegated.add(host);
            promise.succeeded(List.of(InetSocketAddress.createUnresolved(host, port)));
        };
        LiteralFirstResolver resolver = new LiteralFirstResolver(() -> names);

        CompletableFuture<List<InetSocketAddress>> literal = new CompletableFuture<>();
        resolver.resolve("127.0.0.1", 9000, Map.of(), Promise.from(literal::complete, literal::completeExceptionally));
        assertThat(literal.isDone()).isTrue();
        assertThat(literal.get()).singleElement()
                .satisfies(a -> assertThat(a.getAddress().getHostAddress()).isEqualTo("127.0.0.1"))
                .satisfies(a -> assertThat(a.getPort()).isEqualTo(9000));
        assertThat(delegated).isEmpty();

        CompletableFuture<List<InetSocketAddress>> named = new CompletableFuture<>();
        resolver.resolve("backend.example", 443, Map.of(), Promise.from(named::complete, named::completeExceptionally));
        assertThat(named.get(5, TimeUnit.SECONDS)).singleElement().satisfies(a -> assertThat(a.getHostString()).isEqualTo("backend.example"));
        assertThat(delegated).containsExactly("backend.example");
    }
}
