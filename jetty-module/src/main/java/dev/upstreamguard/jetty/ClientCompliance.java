package dev.upstreamguard.jetty;

import dev.upstreamguard.core.policy.ContentLengthWithTransferEncoding;
import dev.upstreamguard.core.policy.ObsFoldHandling;
import dev.upstreamguard.core.policy.ValidationPolicy;
import org.eclipse.jetty.http.HttpCompliance;

import java.util.EnumSet;

/**
 * The Jetty client's parser settings that agree with the guard's validation policy. Jetty's client
 * default ({@code RFC9110}) accepts a bare LF as a line end, which turns {@code X-Test: a<LF>Set-Cookie: x}
 * into a second field the guard could never tell from a real one; we start from {@code STRICT} and allow
 * only what the policy repairs itself (obs-fold unfolded, Content-Length dropped beside Transfer-Encoding).
 */
final class ClientCompliance {

    private ClientCompliance() {
    }

    /** {@code STRICT}, plus the violations the policy has chosen to repair rather than reject. */
    static HttpCompliance forPolicy(ValidationPolicy policy) {
        EnumSet<HttpCompliance.Violation> allowed = EnumSet.noneOf(HttpCompliance.Violation.class);
        if (policy.obsFold() != ObsFoldHandling.REJECT) {
            allowed.add(HttpCompliance.Violation.MULTILINE_FIELD_VALUE);
        }
        if (policy.contentLengthWithTransferEncoding() != ContentLengthWithTransferEncoding.REJECT) {
            allowed.add(HttpCompliance.Violation.TRANSFER_ENCODING_WITH_CONTENT_LENGTH);
        }
        return allowed.isEmpty() ? HttpCompliance.STRICT : HttpCompliance.STRICT.with("UPSTREAM_GUARD",
                allowed.toArray(new HttpCompliance.Violation[0]));
    }

    /**
     * The Jetty client's cap on the whole response head: four times the policy's section limit, so the
     * guard's validator sees every head up to that size and can name the field over its own limits; a
     * longer head is cut by Jetty and answered as {@code http_response_header_section_size}.
     */
    static int maxResponseHeadersSize(ValidationPolicy policy) {
        long cap = 4L * Math.max(policy.maxHeaderSectionSize(), policy.maxHeaderSize());
        return (int) Math.min(Integer.MAX_VALUE - 8, cap);
    }
}
