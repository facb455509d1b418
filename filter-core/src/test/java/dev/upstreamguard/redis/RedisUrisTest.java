package dev.upstreamguard.redis;

import io.lettuce.core.RedisURI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisUrisTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            redis://localhost                      | localhost | 6379 | 0 | false
            redis://127.0.0.1:6380/2               | 127.0.0.1 | 6380 | 2 | false
            redis://:secret@cache.internal:7000    | cache.internal | 7000 | 0 | false
            redis://app:secret@cache.internal/1    | cache.internal | 6379 | 1 | false
            rediss://cache.internal                | cache.internal | 6379 | 0 | true
            """)
    void acceptsRedisServerUris(String uri, String host, int port, int database, boolean tls) {
        RedisURI parsed = RedisUris.parse(uri);
        assertThat(parsed.getHost()).isEqualTo(host);
        assertThat(parsed.getPort()).isEqualTo(port);
        assertThat(parsed.getDatabase()).isEqualTo(database);
        assertThat(parsed.isSsl()).isEqualTo(tls);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            http://user:secret@localhost           | http://***@localhost           | unsupported scheme
            localhost:6379                         | localhost:6379                 | unsupported scheme
            redis://                               | redis://                       | not a URI
            redis://:secret@localhost:notaport     | redis://***@localhost:notaport | no host (or an invalid port)
            redis://u:secret@loc alhost            | redis://***@loc alhost         | not a URI
            redis://u:se/cret@localhost            | redis://***@localhost          | no host (or an invalid port)
            redis-sentinel://s1:26379#master       | redis-sentinel://s1:26379#master | unsupported scheme
            redis:secret@localhost                 | redis:***@localhost            | no host (or an invalid port)
            """)
    void refusesOtherUrisNamingThemWithoutCredentials(String uri, String shown, String why) {
        assertThatThrownBy(() -> RedisUris.parse(uri))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid Redis URI '" + shown + "' (" + why + "): expected redis://")
                .hasMessageNotContaining("secret")
                .hasMessageNotContaining("cret")
                .hasNoCause();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            redis://localhost:6379                 | redis://localhost:6379
            redis://:secret@localhost              | redis://***@localhost
            redis://user:p@ss@localhost/1          | redis://***@localhost/1
            secret@localhost                       | ***@localhost
            """)
    void redactsEverythingBeforeTheLastAt(String uri, String redacted) {
        assertThat(RedisUris.redact(uri)).isEqualTo(redacted);
    }
}
