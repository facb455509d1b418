package dev.upstreamguard.gateway;

import dev.upstreamguard.core.validate.HeadRepair;
import dev.upstreamguard.core.validate.ResponseHead;
import org.springframework.http.HttpHeaders;
import reactor.netty.http.client.HttpClientResponse;

import java.util.Arrays;
import java.util.Iterator;
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
     * already normalised some of it (see the starter's README: obs-fold unfolded, {@code Content-Length}
     * beside {@code Transfer-Encoding} dropped, a field name cut at its first space), so those are no
     * longer visible here.
     */
    static ResponseHead of(HttpClientResponse response) {
        return new NettyHead(response.status().code(), response.status().reasonPhrase(), response.responseHeaders());
    }

    /**
     * A {@link ResponseHead} over Netty's headers: one pass over them keeps Netty's own name and value
     * objects in one array (no entry list, no copies as strings); they are read as strings on demand.
     */
    private static final class NettyHead implements ResponseHead {
        private final int status;
        private final String reason;
        private final CharSequence[] namesAndValues;

        NettyHead(int status, String reason, io.netty.handler.codec.http.HttpHeaders headers) {
            this.status = status;
            this.reason = reason;
            CharSequence[] fields = new CharSequence[2 * headers.size()];
            int i = 0;
            for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
                Map.Entry<CharSequence, CharSequence> field = it.next();
                if (i == fields.length) { // size() is a hint for headers other than Netty's default ones
                    fields = Arrays.copyOf(fields, Math.max(2, 2 * fields.length));
                }
                fields[i++] = field.getKey();
                fields[i++] = field.getValue();
            }
            this.namesAndValues = i == fields.length ? fields : Arrays.copyOf(fields, i);
        }

        @Override
        public int status() {
            return status;
        }

        @Override
        public String reason() {
            return reason;
        }

        @Override
        public int fieldCount() {
            return namesAndValues.length / 2;
        }

        @Override
        public String fieldName(int index) {
            return namesAndValues[2 * index].toString();
        }

        @Override
        public String fieldValue(int index) {
            return namesAndValues[2 * index + 1].toString();
        }
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
