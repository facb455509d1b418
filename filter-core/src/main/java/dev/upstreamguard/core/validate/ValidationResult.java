package dev.upstreamguard.core.validate;

import dev.upstreamguard.core.HeadRepair;
import dev.upstreamguard.core.UpstreamFailure;
import java.util.List;
import java.util.Objects;

/**
 * The verdict on one response head: acceptable as is ({@link #OK}), acceptable after {@link #repairs()},
 * or rejected with a {@link #failure()}.
 */
public final class ValidationResult {

    /** The head is acceptable as received; shared, so the success path allocates nothing. */
    public static final ValidationResult OK = new ValidationResult(null, List.of());

    private final UpstreamFailure failure;
    private final List<HeadRepair> repairs;

    private ValidationResult(UpstreamFailure failure, List<HeadRepair> repairs) {
        this.failure = failure;
        this.repairs = repairs;
    }

    /** A rejected head. */
    public static ValidationResult rejected(UpstreamFailure failure) {
        return new ValidationResult(Objects.requireNonNull(failure, "failure"), List.of());
    }

    /** A head acceptable after the given repairs, in field order; {@link #OK} when there are none. */
    public static ValidationResult repaired(List<HeadRepair> repairs) {
        return repairs.isEmpty() ? OK : new ValidationResult(null, List.copyOf(repairs));
    }

    /** Whether the head may be forwarded (after applying {@link #repairs()}). */
    public boolean ok() {
        return failure == null;
    }

    /** Why the head was rejected, or {@code null} when it was not. */
    public UpstreamFailure failure() {
        return failure;
    }

    /** The changes to apply before forwarding, in field order, at most one per field; empty when none. */
    public List<HeadRepair> repairs() {
        return repairs;
    }

    @Override
    public String toString() {
        if (failure != null) {
            return "ValidationResult[" + failure + "]";
        }
        return repairs.isEmpty() ? "ValidationResult[OK]" : "ValidationResult[OK, repairs=" + repairs + "]";
    }
}
