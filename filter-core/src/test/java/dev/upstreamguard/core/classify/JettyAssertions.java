package dev.upstreamguard.core.classify;

/**
 * Surefire runs with {@code -ea}, and Jetty 12.1's {@code HttpException.RuntimeException} asserts a
 * 4xx/5xx code while its response parser passes the upstream's status (e.g. 200): with assertions on, a
 * too-large head or an early EOF becomes an {@code AssertionError} instead of the exception production
 * sees. Assertion status is fixed when a class is initialised, so this must run before Jetty is loaded.
 */
final class JettyAssertions {

    private JettyAssertions() {
    }

    static void disable() {
        ClassLoader loader = JettyAssertions.class.getClassLoader();
        loader.setPackageAssertionStatus("org.eclipse.jetty", false);
    }

    /** Whether Jetty's HTTP exceptions were initialised with assertions on. */
    static boolean enabled() {
        try {
            new org.eclipse.jetty.http.HttpException.RuntimeException(200, "probe");
            return false;
        } catch (AssertionError e) {
            return true;
        }
    }
}
