package dev.upstreamguard.spring;

import org.springframework.boot.actuate.endpoint.Producible;
import org.springframework.util.MimeType;

/** The two forms of the {@code upstreamguard} actuator endpoint, chosen by the request's {@code Accept}. */
public enum StatusFormat implements Producible<StatusFormat> {
    /** The report as JSON (the default, e.g. for {@code Accept: *}{@code /*}). */
    JSON(MimeType.valueOf("application/json")),
    /** The status page as one self-contained HTML page, for a browser. */
    HTML(MimeType.valueOf("text/html;charset=utf-8"));

    private final MimeType mimeType;

    StatusFormat(MimeType mimeType) {
        this.mimeType = mimeType;
    }

    @Override
    public MimeType getProducedMimeType() {
        return mimeType;
    }

    @Override
    public boolean isDefault() {
        return this == JSON;
    }
}
