package dev.upstreamguard.core.jdk;

import dev.upstreamguard.core.ResponseHead;
import dev.upstreamguard.core.UpstreamFailureException;
import dev.upstreamguard.core.ValidationContext;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.validate.ValidationResult;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A {@link HttpResponse.BodyHandler} for the JDK {@code HttpClient} that validates the response head
 * with the guard before any body is read. A head that fails validation makes {@code send} throw an
 * {@code IOException} whose cause is an {@link UpstreamFailureException} carrying the verdict; the
 * servlet filter (or {@link UpstreamGuard#classify}) turns it into the right response.
 * <pre>{@code
 * HttpResponse<String> r = client.send(request, ValidatingBodyHandler.of(guard, BodyHandlers.ofString()));
 * }</pre>
 *
 * @param <T> the body type of the delegate
 */
public final class ValidatingBodyHandler<T> implements HttpResponse.BodyHandler<T> {
    private final UpstreamGuard guard;
    private final HttpResponse.BodyHandler<T> delegate;
    private final ValidationContext context;

    private ValidatingBodyHandler(UpstreamGuard guard, HttpResponse.BodyHandler<T> delegate, ValidationContext context) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.context = Objects.requireNonNull(context, "context");
    }

    /** Validates with the default context (no upgrade requested), then hands over to {@code delegate}. */
    public static <T> HttpResponse.BodyHandler<T> of(UpstreamGuard guard, HttpResponse.BodyHandler<T> delegate) {
        return new ValidatingBodyHandler<>(guard, delegate, ValidationContext.DEFAULT);
    }

    /** Validates with {@code context}, then hands over to {@code delegate}. */
    public static <T> HttpResponse.BodyHandler<T> of(UpstreamGuard guard, HttpResponse.BodyHandler<T> delegate,
                                                     ValidationContext context) {
        return new ValidatingBodyHandler<>(guard, delegate, context);
    }

    @Override
    public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo info) {
        ValidationResult result = guard.validate(head(info), context);
        if (result.ok()) {
            return delegate.apply(info);
        }
        return new Rejecting<>(new UpstreamFailureException(result.failure()));
    }

    /** The head the JDK client parsed, as a {@link ResponseHead} (the JDK keeps no reason phrase). */
    static ResponseHead head(HttpResponse.ResponseInfo info) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : info.headers().map().entrySet()) {
            for (String value : e.getValue()) {
                fields.add(Map.entry(e.getKey(), value));
            }
        }
        return ResponseHead.of(info.statusCode(), null, fields);
    }

    /** Cancels the body at once and fails with the verdict. */
    private static final class Rejecting<T> implements HttpResponse.BodySubscriber<T> {
        private final CompletableFuture<T> body = new CompletableFuture<>();
        private final UpstreamFailureException failure;

        Rejecting(UpstreamFailureException failure) {
            this.failure = failure;
        }

        @Override
        public CompletionStage<T> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.cancel();
            body.completeExceptionally(failure);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            // cancelled: nothing is read
        }

        @Override
        public void onError(Throwable throwable) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.completeExceptionally(failure);
        }
    }
}
