package dev.upstreamguard.core.policy;

import java.util.Map;

import static dev.upstreamguard.core.policy.PropertyValues.enumValue;
import static dev.upstreamguard.core.policy.PropertyValues.names;
import static dev.upstreamguard.core.policy.PropertyValues.positiveInt;
import static dev.upstreamguard.core.policy.PropertyValues.size;

/** {@code validation.*}: the limits and repairs of upstream response heads, bound into a {@link ValidationPolicy}. */
final class ValidationProperties extends PropertyGroup<ValidationProperties> {

    private static final Map<String, Row<ValidationProperties>> ROWS = rows(
            row("validation.max-header-size", String.valueOf(ValidationPolicy.DEFAULT_MAX_HEADER_SIZE),
                    "a size in bytes such as 8192, 8k or 8KiB",
                    "Largest single upstream response header field ('name: value' + CRLF).",
                    (g, v) -> g.maxHeaderSize = size(v)),
            row("validation.max-header-section-size", String.valueOf(ValidationPolicy.DEFAULT_MAX_HEADER_SECTION_SIZE),
                    "a size in bytes such as 32768, 32k or 32KiB",
                    "Largest upstream response head (status line, fields, final CRLF).",
                    (g, v) -> g.maxHeaderSectionSize = size(v)),
            row("validation.max-header-count", String.valueOf(ValidationPolicy.DEFAULT_MAX_HEADER_COUNT),
                    "a positive whole number",
                    "Most fields an upstream response head may have.",
                    (g, v) -> g.maxHeaderCount = positiveInt(v)),
            row("validation.obs-fold", "reject", "one of " + names(ObsFoldHandling.values()),
                    "Line folding in an upstream header value: reject it, or replace it with a space (RFC 9112 §5.2).",
                    (g, v) -> g.obsFold = enumValue(ObsFoldHandling.class, v)),
            row("validation.content-length-with-transfer-encoding", "reject",
                    "one of " + names(ContentLengthWithTransferEncoding.values()),
                    "An upstream response with both Transfer-Encoding and Content-Length: reject it, or drop"
                            + " Content-Length (RFC 9112 §6.3).",
                    (g, v) -> g.clWithTe = enumValue(ContentLengthWithTransferEncoding.class, v)));

    private int maxHeaderSize;
    private int maxHeaderSectionSize;
    private int maxHeaderCount;
    private ObsFoldHandling obsFold;
    private ContentLengthWithTransferEncoding clWithTe;

    ValidationProperties(GuardPolicy base, String prefix) {
        super(prefix, ROWS);
        ValidationPolicy v = base.validation();
        maxHeaderSize = v.maxHeaderSize();
        maxHeaderSectionSize = v.maxHeaderSectionSize();
        maxHeaderCount = v.maxHeaderCount();
        obsFold = v.obsFold();
        clWithTe = v.contentLengthWithTransferEncoding();
    }

    @Override
    void applyTo(GuardPolicy.Builder builder) {
        builder.validation(crossField("validation.", () -> new ValidationPolicy(maxHeaderSize, maxHeaderSectionSize,
                maxHeaderCount, obsFold, clWithTe)));
    }
}
