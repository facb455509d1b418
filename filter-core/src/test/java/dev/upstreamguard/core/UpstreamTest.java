package dev.upstreamguard.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpstreamTest {

    @ParameterizedTest
    @CsvSource({
            "orders-1, http://orders:8080",
            "A.b_C-9, HTTPS://orders.example:443/base/",
            "x, http://127.0.0.1",
            "0123456789012345678901234567890123456789012345678901234567890123, http://[::1]:80"
    })
    void acceptsIdsAndHttpUris(String id, String uri) {
        Upstream u = Upstream.of(id, uri);
        assertThat(u.id()).isEqualTo(id);
        assertThat(u.uri().toString()).isEqualTo(uri);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "a/b", "ü", "a:b",
            "01234567890123456789012345678901234567890123456789012345678901234"})
    void rejectsIdsNamingTheRule(String id) {
        assertThatThrownBy(() -> Upstream.of(id, "http://orders"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("upstream id must be 1-64 characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/relative", "orders:8080", "ftp://orders", "http:/no-host", "mailto:ops@example.com",
            "http://"})
    void rejectsUrisThatAreNotAbsoluteHttpWithAHost(String uri) {
        assertThatThrownBy(() -> Upstream.of("orders", uri))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("upstream 'orders'").hasMessageContaining("uri");
    }

    @Test
    void rejectsNulls() {
        assertThatThrownBy(() -> new Upstream(null, java.net.URI.create("http://a"))).hasMessageContaining("id");
        assertThatThrownBy(() -> new Upstream("a", null)).hasMessageContaining("uri");
    }
}
