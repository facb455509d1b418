package dev.upstreamguard.compatibility.jettyee10;

import dev.upstreamguard.compatibility.ContainerCompatibilityTest;
import dev.upstreamguard.compatibility.EmbeddedJetty;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;

/** The compatibility scenarios in an embedded Jetty 12.1 with the ee10 environment (Servlet 6.0). */
class JettyEe10CompatibilityTest extends ContainerCompatibilityTest {

    JettyEe10CompatibilityTest() {
        super(new EmbeddedJetty(application -> {
            ServletContextHandler context = new ServletContextHandler("/");
            context.addServletContainerInitializer(application);
            return context;
        }), "jetty/", "6.0");
    }
}
