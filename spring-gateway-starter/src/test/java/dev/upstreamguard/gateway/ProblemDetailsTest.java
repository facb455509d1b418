package dev.upstreamguard.gateway;

import dev.upstreamguard.core.policy.GuardPolicy;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code spring.webflux.problemdetails.enabled=true} on the guarded gateway: Spring's problem details handler is
 * there (for annotated controllers), and the starter's answers on gateway routes stay its own RFC 9457 bodies —
 * Spring's handler never sees them (gateway routes are not controller methods, and the starter writes its answer
 * before any error reaches Spring's error handling).
 */
class ProblemDetailsTest extends GuardedGatewayTest {

    @Autowired
    ApplicationContext context;

    @Test
    void springsProblemDetailsHandlerIsOnAndOurBodiesStayOurs() throws Exception {
        assertThat(context.getBeansOfType(ResponseEntityExceptionHandler.class)).as("Spring's handler is active").isNotEmpty();

        Observed refused = Observed.get(port(), "/refused");

        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(refused.bodyText())
                .startsWith("{\"type\":\"" + GuardPolicy.DEFAULT_PROBLEM_TYPE_BASE + "connection_refused\"")
                .contains("\"error\":\"connection_refused\"", "\"request_id\":")
                .doesNotContain("\"instance\":", "\"path\":", "\"timestamp\":");
    }
}
