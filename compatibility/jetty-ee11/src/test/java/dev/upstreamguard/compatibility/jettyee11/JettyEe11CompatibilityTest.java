package dev.upstreamguard.compatibility.jettyee11;

import dev.upstreamguard.compatibility.ContainerCompatibilityTest;
import dev.upstreamguard.compatibility.EmbeddedJetty;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;

/** The compatibility scenarios in an embedded Jetty 12.1 with the ee11 environment (Servlet 6.1). */
class JettyEe11CompatibilityTest extends ContainerCompatibilityTest {

    JettyEe11CompatibilityTest() {
        super(new EmbeddedJetty(application -> {
            ServletContextHandler context = new ServletContextHandler("/");
            context.addServletContainerInitializer(application);
            return context;
        }), "jetty/", "6.1");
    }
}
