package dev.upstreamguard.core.retry;

import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.RetryEvent;
import dev.upstreamguard.core.limits.InMemoryBucketBackend;
import dev.upstreamguard.core.policy.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Retries that paid off are counted: an event for a success on a later attempt, none for a first-try success. */
class RetrierSuccessTest {

    @Test
    void aSuccessAfterARetryIsAnEventAFirstTrySuccessIsNot() {
        List<RetryEvent> events = new ArrayList<>();
        GuardListener listener = new GuardListener() {
            @Override
            public void onRetry(RetryEvent event) {
                events.add(event);
            }
        };
        RetryPolicy policy = RetryPolicy.defaults();
        Retrier retrier = new Retrier("orders", policy, new RetryBudget("orders", policy, new InMemoryBucketBackend()),
                () -> 0L, () -> 0.5, listener);

        retrier.onSuccess(1, 200, "orders-1");
        assertThat(events).isEmpty();

        retrier.onSuccess(2, 200, "orders-2");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(RetryEvent.Outcome.SUCCEEDED_AFTER_RETRY);
            assertThat(e.attempt()).isEqualTo(2);
            assertThat(e.receivedStatus()).isEqualTo(200);
            assertThat(e.upstreamId()).isEqualTo("orders-2");
        });
    }
}
