package dev.upstreamguard.gateway;

import dev.upstreamguard.core.HeadRepair;
import dev.upstreamguard.core.ResponseHead;
import org.springframework.http.HttpHeaders;
import reactor.netty.http.client.HttpClientResponse;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The upstream response head as Reactor Netty parsed it, for the core's validator, and the repairs it may ask for. */
final class UpstreamHeads {

    private UpstreamHeads() {
    }

    /**
     * The head Netty decoded: status, reason phrase and field lines in the order received. Netty has
     * already normalised some of it ({@code Content-Length} beside {@code Transfer-Encoding} dropped, obs-fold
     * unfolded, a field name cut at its first space), so those are no longer visible here; the last two are
     * judged from the raw bytes before Netty's decoder ({@link ResponseHeadScanner}).
     */
    static ResponseHead of(HttpClientResponse response) {
        return ResponseHead.of(response.status().code(), response.status().reasonPhrase(),
                response.responseHeaders().entries());
    }

    /**
     * Applies the validator's repairs to the headers the gateway is about to send: every field name a
     * repair touches is rewritten from the repaired upstream head.
     */
    static void applyRepairs(ResponseHead head, List<HeadRepair> repairs, HttpHeaders outgoing) {
        if (repairs.isEmpty()) {
            return;
        }
        Map<Integer, HeadRepair> byIndex = new java.util.HashMap<>();
        Set<String> touched = new LinkedHashSet<>();
        for (HeadRepair repair : repairs) {
            byIndex.put(repair.fieldIndex(), repair);
            touched.add(head.fieldName(repair.fieldIndex()));
        }
        for (String name : touched) {
            if (!outgoing.containsHeader(name)) {
                continue; // the gateway does not forward this field anyway
            }
            outgoing.remove(name);
            for (int i = 0; i < head.fieldCount(); i++) {
                if (!head.fieldName(i).equalsIgnoreCase(name)) {
                    continue;
                }
                HeadRepair repair = byIndex.get(i);
                if (repair == null) {
                    outgoing.add(name, head.fieldValue(i));
                } else if (!repair.dropsField()) {
                    outgoing.add(name, repair.replacementValue());
                }
            }
        }
    }
}
