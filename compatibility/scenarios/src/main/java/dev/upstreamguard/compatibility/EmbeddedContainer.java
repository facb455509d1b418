package dev.upstreamguard.compatibility;

import jakarta.servlet.ServletContainerInitializer;

/** A servlet container started in this JVM with one application at the root context. */
public interface EmbeddedContainer {

    /**
     * Starts the container on {@code 127.0.0.1} and an ephemeral port, with one context at {@code /} that
     * {@code application} sets up when the context starts.
     */
    Running start(ServletContainerInitializer application) throws Exception;

    /**
     * A started container.
     *
     * @param port the port it listens on (127.0.0.1)
     * @param onStop stops it
     */
    record Running(int port, Stop onStop) {
        /** Stops the container. */
        public void stop() throws Exception {
            onStop.run();
        }
    }

    /** How a started container is stopped. */
    @FunctionalInterface
    interface Stop {
        /** Stops the container and releases what it holds. */
        void run() throws Exception;
    }
}
