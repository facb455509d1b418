package dev.upstreamguard.jetty;

import dev.upstreamguard.core.CidrSet;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Request;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no trusted proxy (the default), removing a client's forwarded fields is a look at the upstream
 * request's fields: the client's address is not formatted, nothing is parsed, nothing is allocated. It runs
 * for every proxied request.
 */
class ForwardedHeadersAllocationTest {

    @Test
    void withNoTrustedProxyARequestWithoutForwardedFieldsIsOnlyLookedAt() throws Exception {
        AtomicInteger addressReads = new AtomicInteger();
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 40_000);
        ConnectionMetaData connection = (ConnectionMetaData) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{ConnectionMetaData.class}, (p, method, args) -> {
                    if (method.getName().equals("getRemoteSocketAddress")) {
                        addressReads.incrementAndGet();
                        return peer;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        Request client = (Request) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Request.class},
                (p, method, args) -> {
                    if (method.getName().equals("getConnectionMetaData")) {
                        return connection;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        HttpClient httpClient = new HttpClient();
        org.eclipse.jetty.client.Request upstream = httpClient.newRequest("http://127.0.0.1:8080/api")
                .headers(h -> h.put("Accept", "*/*").put("Via", "1.1 ug"));
        int fields = upstream.getHeaders().size();

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        int rounds = 20_000;
        removeUntrusted(client, upstream, rounds); // warm-up: class loading and the first compilations allocate
        addressReads.set(0);
        long before = threads.getThreadAllocatedBytes(thread);
        removeUntrusted(client, upstream, rounds);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        // formatting and parsing the address alone would be about 75 bytes per request
        assertThat(allocated).as("bytes allocated by %d calls", rounds).isLessThan(rounds * 8L);
        assertThat(addressReads).as("client address reads").hasValue(0);
        assertThat(upstream.getHeaders().size()).isEqualTo(fields);
    }

    private static void removeUntrusted(Request client, org.eclipse.jetty.client.Request upstream, int rounds) {
        for (int i = 0; i < rounds; i++) {
            ForwardedHeaders.removeUntrusted(CidrSet.empty(), client, upstream);
        }
    }
}
