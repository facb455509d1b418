package dev.upstreamguard.compatibility.tomcat101;

import dev.upstreamguard.compatibility.ContainerCompatibilityTest;
import dev.upstreamguard.compatibility.EmbeddedTomcat;

/** The compatibility scenarios in an embedded Tomcat 10.1 (Servlet 6.0). */
class Tomcat101CompatibilityTest extends ContainerCompatibilityTest {

    Tomcat101CompatibilityTest() {
        super(new EmbeddedTomcat(), "Apache Tomcat/", "6.0");
    }
}
