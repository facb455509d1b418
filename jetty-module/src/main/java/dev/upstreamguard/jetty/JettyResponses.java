package dev.upstreamguard.jetty;

import dev.upstreamguard.core.ErrorResponse;
import dev.upstreamguard.core.HeadRepair;
import dev.upstreamguard.core.HopByHop;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.lifecycle.Verdict;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Writes the core's verdicts onto a Jetty response: an answer in place of the upstream's, or its relayed head. */
final class JettyResponses {
    private JettyResponses() {
    }

    /** Replaces whatever the response held with {@code error} and completes it. */
    static void write(Response response, Callback callback, ErrorResponse error) {
        response.reset();
        response.setStatus(error.status());
        HttpFields.Mutable headers = response.getHeaders();
        for (Map.Entry<String, String> header : error.headers()) {
            headers.put(header.getKey(), header.getValue());
        }
        headers.put(HttpHeader.CONTENT_LENGTH, error.body().length);
        response.write(true, ByteBuffer.wrap(error.body()), callback);
    }

    /**
     * Copies a validated upstream head to the client response: the core's repairs applied, hop-by-hop
     * fields (RFC 9110 §7.6.1) and any received {@code Proxy-Status} removed, ours set as the verdict says,
     * then {@code responseFields}. A body the upstream delimits by closing is re-chunked when
     * {@code rechunk}: without framing, an abort would look like a complete body to the client.
     *
     * @param filter the handler's per-field hook; a field it maps to {@code null} is dropped
     */
    static void relayHead(Response out, HttpFields received, Verdict.Relay relay, Set<String> connectionOptions,
                          List<Map.Entry<String, String>> responseFields, boolean rechunk,
                          UnaryOperator<HttpField> filter) {
        HttpFields.Mutable headers = out.getHeaders();
        List<HeadRepair> repairs = relay.repairs();
        List<String> seen = new ArrayList<>(received.size());
        int nextRepair = 0;
        for (int i = 0, n = received.size(); i < n; i++) {
            HttpField field = received.getField(i);
            if (nextRepair < repairs.size() && repairs.get(nextRepair).fieldIndex() == i) {
                HeadRepair repair = repairs.get(nextRepair++);
                if (repair.dropsField()) {
                    continue;
                }
                field = new HttpField(field.getName(), repair.replacementValue());
            }
            if (HopByHop.shouldStrip(field.getName(), connectionOptions)
                    || UpstreamGuard.PROXY_STATUS.equalsIgnoreCase(field.getName())) {
                continue;
            }
            HttpField relayed = filter.apply(field);
            if (relayed == null) {
                continue;
            }
            String lower = relayed.getLowerCaseName();
            // replace the server's own fields (Server, Date) once, then keep repeated fields
            if (seen.contains(lower)) {
                headers.add(relayed);
            } else {
                seen.add(lower);
                headers.put(relayed);
            }
        }
        if (rechunk) {
            headers.put(HttpHeader.TRANSFER_ENCODING, "chunked");
        }
        if (relay.proxyStatus() != null) {
            headers.put(UpstreamGuard.PROXY_STATUS, relay.proxyStatus());
        }
        for (Map.Entry<String, String> field : responseFields) {
            headers.put(field.getKey(), field.getValue());
        }
    }
}
