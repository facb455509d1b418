/**
 * Classification of upstream failures into RFC 9209 §2.3 proxy error types.
 *
 * <p>{@link dev.upstreamguard.core.classify.FailureClassifiers#defaults()} knows the exceptions of the JDK,
 * Jetty 12's client, Netty / Reactor Netty, Spring Cloud Gateway, Apache HttpClient 5, OkHttp, Spring's
 * HTTP clients and resilience4j by fully-qualified class name, walks the cause chain and picks its most specific recognition; the phase the
 * integration observed decides where a type alone cannot (a reset before any response byte is
 * {@code connection_terminated}, after part of the response {@code http_response_incomplete}). Exception
 * messages are read only where a library gives no other signal, each such check isolated in one method.
 */
package dev.upstreamguard.core.classify;
