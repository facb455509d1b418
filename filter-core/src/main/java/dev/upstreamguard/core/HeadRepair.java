package dev.upstreamguard.core;

/**
 * One change a lenient policy requires before a response head may be forwarded: replace the value of
 * the field at {@code fieldIndex}, or drop that field. Indices refer to the {@link ResponseHead} that was
 * validated; applying the repairs of one result never shifts them (drop by index after replacing, or
 * build the forwarded head from the original one).
 *
 * @param fieldIndex       the index of the field in the validated head
 * @param replacementValue the value to forward instead, or {@code null} to drop the field
 * @param rule             which rule required the repair, one of the {@code RULE_*} constants
 */
public record HeadRepair(int fieldIndex, String replacementValue, String rule) {

    /** obs-fold replaced with SP (RFC 9112 §5.2). */
    public static final String RULE_OBS_FOLD = "obs-fold replaced with SP (RFC 9112 section 5.2)";
    /** Content-Length dropped because Transfer-Encoding overrides it (RFC 9112 §6.3). */
    public static final String RULE_CONTENT_LENGTH_WITH_TRANSFER_ENCODING =
            "Content-Length dropped beside Transfer-Encoding (RFC 9112 section 6.3)";
    /** Identical Content-Length values collapsed into one (RFC 9110 §8.6). */
    public static final String RULE_DUPLICATE_CONTENT_LENGTH =
            "duplicate Content-Length collapsed (RFC 9110 section 8.6)";

    /** Checks the index and the rule. */
    public HeadRepair {
        if (fieldIndex < 0) {
            throw new IllegalArgumentException("fieldIndex must be >= 0, was " + fieldIndex);
        }
        if (rule == null) {
            throw new IllegalArgumentException("rule must not be null");
        }
    }

    /** A repair that drops the field at {@code fieldIndex}. */
    public static HeadRepair drop(int fieldIndex, String rule) {
        return new HeadRepair(fieldIndex, null, rule);
    }

    /** Whether this repair drops the field rather than replacing its value. */
    public boolean dropsField() {
        return replacementValue == null;
    }
}
