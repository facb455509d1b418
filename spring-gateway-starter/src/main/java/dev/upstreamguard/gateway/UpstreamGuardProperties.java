package dev.upstreamguard.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;

import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code upstream-guard.*} properties. The policy keys are the core's ({@code PolicyBinder}), the same
 * as the servlet filter's init-params; they are checked by the core at start-up, and a bad value stops
 * the application with a message naming the full property, the value and what is accepted.
 */
@ConfigurationProperties(prefix = UpstreamGuardProperties.PREFIX)
public class UpstreamGuardProperties {
    /** The property prefix. */
    public static final String PREFIX = "upstream-guard";
    /** The head deadline used when neither the route nor the gateway sets a response timeout. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    /** Whether Upstream Guard answers the gateway's upstream failures (false restores the stock behaviour). */
    private boolean enabled = true;
    /** Deadline for the upstream's response head when neither the route nor the gateway sets one; 0 for none. */
    private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
    /** Largest upstream response head Netty decodes, so the guard's validator judges heads up to it; 0 keeps Netty's limit. */
    private DataSize decoderMaxHeaderSize = DataSize.ofKilobytes(128);
    /** How many of the last failures the status page (actuator endpoint upstreamguard) keeps, 1 to 10000. */
    private int recentFailures = 50;
    /**
     * Our received-by in Via (RFC 9110 §7.6.3) on requests to upstreams, an HTTP token; a request that already
     * carries it is a loop (502 proxy_loop_detected). Default: upstream-guard-<8 random hex digits>, new per process.
     */
    private String viaPseudonym;
    /** Status for one RFC 9209 error type, e.g. status.connection_timeout=502 (500-599). */
    private Map<String, String> status = new LinkedHashMap<>();
    /** Proxy-Status settings. */
    private final ProxyStatus proxyStatus = new ProxyStatus();
    /** Who sees details. */
    private final Exposure exposure = new Exposure();
    /** Upstream response head validation. */
    private final Validation validation = new Validation();
    /** Problem details bodies. */
    private final ProblemDetails problemDetails = new ProblemDetails();
    /** Request ids. */
    private final RequestId requestId = new RequestId();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getResponseTimeout() {
        return responseTimeout;
    }

    public void setResponseTimeout(Duration responseTimeout) {
        this.responseTimeout = responseTimeout;
    }

    public DataSize getDecoderMaxHeaderSize() {
        return decoderMaxHeaderSize;
    }

    public void setDecoderMaxHeaderSize(DataSize decoderMaxHeaderSize) {
        this.decoderMaxHeaderSize = decoderMaxHeaderSize;
    }

    public String getViaPseudonym() {
        return viaPseudonym;
    }

    public void setViaPseudonym(String viaPseudonym) {
        this.viaPseudonym = viaPseudonym;
    }

    public int getRecentFailures() {
        return recentFailures;
    }

    public void setRecentFailures(int recentFailures) {
        this.recentFailures = recentFailures;
    }

    public Map<String, String> getStatus() {
        return status;
    }

    public void setStatus(Map<String, String> status) {
        this.status = status;
    }

    public ProxyStatus getProxyStatus() {
        return proxyStatus;
    }

    public Exposure getExposure() {
        return exposure;
    }

    public Validation getValidation() {
        return validation;
    }

    public ProblemDetails getProblemDetails() {
        return problemDetails;
    }

    public RequestId getRequestId() {
        return requestId;
    }

    /** {@code upstream-guard.proxy-status.*}. */
    public static class ProxyStatus {
        /** Our member name in Proxy-Status (RFC 9209 section 2), an RFC 8941 token. */
        private String memberName = "upstream-guard";

        public String getMemberName() {
            return memberName;
        }

        public void setMemberName(String memberName) {
            this.memberName = memberName;
        }
    }

    /** {@code upstream-guard.exposure.*}. */
    public static class Exposure {
        /** Who sees the Proxy-Status 'details' and 'next-hop' parameters: never, trusted or always. */
        private String mode = "trusted";
        /**
         * Client addresses or CIDR blocks that count as trusted when exposure.mode=trusted; none by default
         * (loopback is 127.0.0.0/8,::1/128).
         */
        private String trustedCidrs = "";

        public String getMode() {
            return mode;
        }

        public void setMode(String mode) {
            this.mode = mode;
        }

        public String getTrustedCidrs() {
            return trustedCidrs;
        }

        public void setTrustedCidrs(String trustedCidrs) {
            this.trustedCidrs = trustedCidrs;
        }
    }

    /** {@code upstream-guard.validation.*}. */
    public static class Validation {
        /** Largest single upstream response header field ('name: value' + CRLF), e.g. 8k. */
        private String maxHeaderSize = "8192";
        /** Largest upstream response head (status line, fields, final CRLF), e.g. 32k. */
        private String maxHeaderSectionSize = "32768";
        /** Most fields an upstream response head may have. */
        private String maxHeaderCount = "256";
        /** Line folding in an upstream header value: reject or replace-with-space. */
        private String obsFold = "reject";
        /** An upstream response with both Transfer-Encoding and Content-Length: reject or drop-content-length. */
        private String contentLengthWithTransferEncoding = "reject";

        public String getMaxHeaderSize() {
            return maxHeaderSize;
        }

        public void setMaxHeaderSize(String maxHeaderSize) {
            this.maxHeaderSize = maxHeaderSize;
        }

        public String getMaxHeaderSectionSize() {
            return maxHeaderSectionSize;
        }

        public void setMaxHeaderSectionSize(String maxHeaderSectionSize) {
            this.maxHeaderSectionSize = maxHeaderSectionSize;
        }

        public String getMaxHeaderCount() {
            return maxHeaderCount;
        }

        public void setMaxHeaderCount(String maxHeaderCount) {
            this.maxHeaderCount = maxHeaderCount;
        }

        public String getObsFold() {
            return obsFold;
        }

        public void setObsFold(String obsFold) {
            this.obsFold = obsFold;
        }

        public String getContentLengthWithTransferEncoding() {
            return contentLengthWithTransferEncoding;
        }

        public void setContentLengthWithTransferEncoding(String contentLengthWithTransferEncoding) {
            this.contentLengthWithTransferEncoding = contentLengthWithTransferEncoding;
        }
    }

    /** {@code upstream-guard.problem-details.*}. */
    public static class ProblemDetails {
        /** Whether errors the gateway makes carry an RFC 9457 application/problem+json body. */
        private String enabled = "true";
        /** Prefix of the problem 'type' URI; the error token is appended. */
        private String typeBase = "https://upstreamguard.dev/problems/";

        public String getEnabled() {
            return enabled;
        }

        public void setEnabled(String enabled) {
            this.enabled = enabled;
        }

        public String getTypeBase() {
            return typeBase;
        }

        public void setTypeBase(String typeBase) {
            this.typeBase = typeBase;
        }
    }

    /** {@code upstream-guard.request-id.*}. */
    public static class RequestId {
        /** Request header whose value is echoed as the problem's request_id (generated when absent). */
        private String header = "X-Request-Id";

        public String getHeader() {
            return header;
        }

        public void setHeader(String header) {
            this.header = header;
        }
    }
}
