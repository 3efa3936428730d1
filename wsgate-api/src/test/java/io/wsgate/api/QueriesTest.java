package io.wsgate.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QueriesTest {

    @Test
    void findsAParameterByItsDecodedNameAndDecodesItsValue() {
        assertThat(Queries.parameter("a=1&access%5Ftoken=x%2By&b", "access_token")).contains("x+y");
        assertThat(Queries.parameter("a=1&b", "b")).contains("");
        assertThat(Queries.parameter("", "a")).isEmpty();
        assertThat(Queries.parameter("subscription%2dkey=k", "subscription-key")).contains("k");
    }

    @Test
    void removesEveryParameterWhoseDecodedNameMatchesAndKeepsTheOthersAsSent() {
        assertThat(Queries.without("room=1&access%5Ftoken=t&access_token=u&lang=%20en", "access_token"))
                .isEqualTo("room=1&lang=%20en");
        assertThat(Queries.without("subscription%2Dkey=k&x=1", "subscription-key")).isEqualTo("x=1");
        assertThat(Queries.without("a%20b=1&c=2", "a b")).isEqualTo("c=2");
    }

    @Test
    void findAndRemoveAgreeOnEveryNameFindSees() {
        String query = "x=1&access%5Ftoken=t&a%2Bb=2&bad%zz=3";
        for (String name : new String[] {"access_token", "a+b", "bad%zz", "x"}) {
            assertThat(Queries.parameter(query, name)).as(name).isPresent();
            assertThat(Queries.parameter(Queries.without(query, name), name)).as(name).isEmpty();
        }
    }
}
