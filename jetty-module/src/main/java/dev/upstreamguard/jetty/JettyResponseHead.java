package dev.upstreamguard.jetty;

import dev.upstreamguard.core.ResponseHead;
import org.eclipse.jetty.http.HttpFields;

/**
 * The core's {@link ResponseHead} over the Jetty client's parsed head, without copying: the fields are
 * read by index from Jetty's {@link HttpFields} (array-backed in the client).
 */
final class JettyResponseHead implements ResponseHead {
    private final int status;
    private final String reason;
    private final HttpFields fields;

    JettyResponseHead(int status, String reason, HttpFields fields) {
        this.status = status;
        this.reason = reason;
        this.fields = fields;
    }

    static JettyResponseHead of(org.eclipse.jetty.client.Response response) {
        return new JettyResponseHead(response.getStatus(), response.getReason(), response.getHeaders());
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
        return fields.size();
    }

    @Override
    public String fieldName(int index) {
        return fields.getField(index).getName();
    }

    @Override
    public String fieldValue(int index) {
        String value = fields.getField(index).getValue();
        return value == null ? "" : value;
    }
}
