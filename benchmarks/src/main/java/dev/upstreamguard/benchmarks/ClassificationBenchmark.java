package dev.upstreamguard.benchmarks;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.classify.FailureClassifier;
import dev.upstreamguard.core.classify.FailureClassifiers;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Classifying a failure with the built-in classifiers (the failure path: it runs once per failed
 * exchange, and allocating the verdict is expected). The throwables are created once, so their stack
 * traces are not part of the measurement.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ClassificationBenchmark {

    private FailureClassifier classifier;
    private Throwable refused;
    private Throwable wrappedConnectTimeout;
    private Throwable unknown;

    /** Builds the throwables and checks each one's verdict. */
    @Setup
    public void setUp() {
        classifier = FailureClassifiers.defaults();
        refused = new ConnectException("Connection refused");
        // the JDK HttpClient's connect timeout: the timeout around the ConnectException, seen through
        // the IOException and ExecutionException an application's async call wraps it in
        HttpConnectTimeoutException timeout = new HttpConnectTimeoutException("HTTP connect timed out");
        timeout.initCause(new ConnectException("HTTP connect timed out"));
        wrappedConnectTimeout = new ExecutionException(new IOException("upstream call failed", timeout));
        unknown = new IllegalStateException("application bug");
        Checks.require(connectionRefused().type() == ErrorType.CONNECTION_REFUSED, "connection_refused");
        Checks.require(wrappedConnectTimeout().type() == ErrorType.CONNECTION_TIMEOUT, "connection_timeout");
        Checks.require(unknownThrowable() == null, "no verdict for an IllegalStateException");
        Checks.require(unknownAsInternalError().type() == ErrorType.PROXY_INTERNAL_ERROR, "proxy_internal_error");
    }

    /** A bare {@code ConnectException}. */
    @Benchmark
    public UpstreamFailure connectionRefused() {
        return classifier.classify(refused, Phase.UNKNOWN);
    }

    /** {@code ExecutionException → IOException → HttpConnectTimeoutException → ConnectException}. */
    @Benchmark
    public UpstreamFailure wrappedConnectTimeout() {
        return classifier.classify(wrappedConnectTimeout, Phase.UNKNOWN);
    }

    /** An {@code IllegalStateException} no rule knows: the whole rule table is consulted for nothing. */
    @Benchmark
    public UpstreamFailure unknownThrowable() {
        return classifier.classify(unknown, Phase.UNKNOWN);
    }

    /** The same through {@link FailureClassifiers#classifyOrInternal}, which answers proxy_internal_error. */
    @Benchmark
    public UpstreamFailure unknownAsInternalError() {
        return FailureClassifiers.classifyOrInternal(classifier, unknown, Phase.UNKNOWN);
    }
}
