package dev.upstreamguard.spring.boot;

import dev.upstreamguard.spring.StatusFormat;
import dev.upstreamguard.status.StatusRegistry;
import dev.upstreamguard.status.StatusRenderer;
import dev.upstreamguard.status.StatusReport;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

import java.nio.charset.StandardCharsets;

/**
 * The actuator endpoint {@code upstreamguard}, the operator's status page: the filter's route, failures by
 * error type for each of the last minutes, the last failures with their log phrases, and counters (admission
 * refusals, limit backend failures, origin-side violations). JSON by default; the same page as HTML for
 * {@code Accept: text/html} (a browser). Rendered by the core's {@link StatusRenderer}, so it holds no exception
 * message, host name or address. Secured and exposed like every actuator endpoint
 * ({@code management.endpoints.web.exposure.include}).
 */
@WebEndpoint(id = "upstreamguard")
public class UpstreamGuardEndpoint {

    private final StatusRegistry status;

    /** An endpoint over {@code status}. */
    public UpstreamGuardEndpoint(StatusRegistry status) {
        this.status = status;
    }

    /** The status page as JSON or HTML, as the request accepts. */
    @ReadOperation(producesFrom = StatusFormat.class)
    public WebEndpointResponse<byte[]> status(StatusFormat format) {
        StatusReport report = status.report();
        String page = format == StatusFormat.HTML ? StatusRenderer.html(report) : StatusRenderer.json(report);
        return new WebEndpointResponse<>(page.getBytes(StandardCharsets.UTF_8), format);
    }
}
