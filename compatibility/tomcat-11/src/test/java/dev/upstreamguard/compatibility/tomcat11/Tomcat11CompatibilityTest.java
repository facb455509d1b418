package dev.upstreamguard.compatibility.tomcat11;

import dev.upstreamguard.compatibility.ContainerCompatibilityTest;
import dev.upstreamguard.compatibility.EmbeddedTomcat;

/** The compatibility scenarios in an embedded Tomcat 11 (Servlet 6.1). */
class Tomcat11CompatibilityTest extends ContainerCompatibilityTest {

    Tomcat11CompatibilityTest() {
        super(new EmbeddedTomcat(), "Apache Tomcat/", "6.1");
    }
}
