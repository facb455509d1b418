package dev.upstreamguard.core.lifecycle;

import dev.upstreamguard.core.ErrorResponse;
import dev.upstreamguard.core.HeadRepair;
import dev.upstreamguard.core.Upstream;
import dev.upstreamguard.core.UpstreamFailure;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link GuardedExchange} tells the packaging to do next. The packaging only translates a verdict
 * into its framework's calls; every decision — admission, upstream choice, deadlines, retries, the answer
 * and its headers — was made in the core.
 */
public sealed interface Verdict
        permits Verdict.Admitted, Verdict.SendTo, Verdict.Retry, Verdict.Relay, Verdict.Answer, Verdict.Abort {

    /** The request was admitted: prepare its body, then ask {@link GuardedExchange#nextAttempt()}. */
    Admitted ADMITTED = new Admitted();

    /** Admitted (see {@link #ADMITTED}). */
    record Admitted() implements Verdict {
    }

    /**
     * Send attempt {@code attempt} of {@code maxAttempts} to {@code upstream} and give up waiting for its
     * response head after {@code headTimeout}.
     *
     * @param upstream    the chosen upstream, or {@code null} on a route whose packaging chooses it
     * @param headTimeout the attempt's response-head deadline from now: the per-try timeout, never past the
     *                    request's end-to-end deadline
     */
    record SendTo(Upstream upstream, int attempt, int maxAttempts, Duration headTimeout) implements Verdict {
        /** Checks the values. */
        public SendTo {
            Objects.requireNonNull(headTimeout, "headTimeout");
            if (attempt < 1 || maxAttempts < attempt) {
                throw new IllegalArgumentException("attempt must be 1.." + maxAttempts + ", was " + attempt);
            }
        }
    }

    /**
     * Drop this attempt (close its upstream connection when a head was received: it is not relayed) and,
     * after {@code delay}, ask {@link GuardedExchange#nextAttempt()}.
     *
     * @param reason the retry's trigger token ({@code failure}, {@code transparent} — not charged to the retry budget — or {@code status})
     */
    record Retry(Duration delay, String reason) implements Verdict {
        /** Checks the values. */
        public Retry {
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Relay the upstream's head: apply {@code repairs}, remove hop-by-hop fields, set {@code Proxy-Status}
     * to {@code proxyStatus} (remove any received one when {@code null}) and add
     * {@link GuardedExchange#responseFields()}.
     */
    record Relay(String proxyStatus, List<HeadRepair> repairs) implements Verdict {
        /** No {@code Proxy-Status}, no repairs: the common case, shared. */
        public static final Relay PLAIN = new Relay(null, List.of());

        /** Freezes the repairs. */
        public Relay {
            repairs = List.copyOf(repairs);
        }
    }

    /**
     * Answer the client with {@code response} (status, headers — {@link GuardedExchange#responseFields()}
     * included — and body) instead of anything the upstream sent; close the upstream connection of the
     * attempt if one is open.
     *
     * @param failure    what is answered
     * @param notRetried why no further attempt was made, a lower-case token, or {@code null} when no
     *                   upstream attempt was involved (a refusal at admission)
     */
    record Answer(ErrorResponse response, UpstreamFailure failure, String notRetried) implements Verdict {
        /** Checks the values. */
        public Answer {
            Objects.requireNonNull(response, "response");
            Objects.requireNonNull(failure, "failure");
        }
    }

    /**
     * Abort the client response: it was committed (or the client is gone), so the only honest signal left is
     * to cut it short — close the connection or reset the stream, never complete it.
     */
    record Abort(UpstreamFailure failure) implements Verdict {
    }
}
