package dev.upstreamguard.core.policy;

import java.util.Arrays;

/**
 * The limits and lenient choices of {@link dev.upstreamguard.core.validate.ResponseHeadValidator}; immutable, checked when built.
 *
 * <p>Sizes are counted as on the HTTP/1.1 wire (RFC 9112 §2.1): a field line is {@code name: value CRLF},
 * the header section is the status line, every field line and the final CRLF.
 *
 * @param maxHeaderSize        the largest field line accepted, in bytes ({@value #DEFAULT_MAX_HEADER_SIZE}
 *                             by default); 16 to 1 MiB
 * @param maxHeaderSectionSize the largest header section accepted, in bytes
 *                             ({@value #DEFAULT_MAX_HEADER_SECTION_SIZE} by default); from
 *                             {@code maxHeaderSize} to 16 MiB
 * @param maxHeaderCount       the most field lines accepted ({@value #DEFAULT_MAX_HEADER_COUNT} by
 *                             default); 1 to 10000
 * @param obsFold              what to do with obs-fold in a value (RFC 9112 §5.2)
 * @param contentLengthWithTransferEncoding what to do when both framing fields are present (RFC 9112 §6.3)
 */
public record ValidationPolicy(int maxHeaderSize, int maxHeaderSectionSize, int maxHeaderCount,
                               ObsFoldHandling obsFold,
                               ContentLengthWithTransferEncoding contentLengthWithTransferEncoding) {

    /** Default largest field line: 8 KiB, the limit of Netty's and many servers' decoders. */
    public static final int DEFAULT_MAX_HEADER_SIZE = 8192;
    /** Default largest header section: 32 KiB. */
    public static final int DEFAULT_MAX_HEADER_SECTION_SIZE = 32768;
    /** Default most field lines: 256. */
    public static final int DEFAULT_MAX_HEADER_COUNT = 256;

    private static final int MIN_HEADER_SIZE = 16;
    private static final int MAX_HEADER_SIZE = 1 << 20;
    private static final int MAX_HEADER_SECTION_SIZE = 1 << 24;
    private static final int MAX_HEADER_COUNT = 10_000;

    private static final ValidationPolicy DEFAULTS = new ValidationPolicy(DEFAULT_MAX_HEADER_SIZE,
            DEFAULT_MAX_HEADER_SECTION_SIZE, DEFAULT_MAX_HEADER_COUNT, ObsFoldHandling.REJECT,
            ContentLengthWithTransferEncoding.REJECT);

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException naming the field, its accepted range or values, and the value given
     */
    public ValidationPolicy {
        requireRange("maxHeaderSize", maxHeaderSize, MIN_HEADER_SIZE, MAX_HEADER_SIZE);
        requireRange("maxHeaderSectionSize", maxHeaderSectionSize, Math.max(MIN_HEADER_SIZE, maxHeaderSize),
                MAX_HEADER_SECTION_SIZE);
        requireRange("maxHeaderCount", maxHeaderCount, 1, MAX_HEADER_COUNT);
        requireNonNull("obsFold", obsFold, ObsFoldHandling.values());
        requireNonNull("contentLengthWithTransferEncoding", contentLengthWithTransferEncoding,
                ContentLengthWithTransferEncoding.values());
    }

    /** The strict defaults: 8 KiB per field, 32 KiB per section, 256 fields, obs-fold and TE+CL rejected. */
    public static ValidationPolicy defaults() {
        return DEFAULTS;
    }

    private static void requireRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    private static void requireNonNull(String field, Object value, Object[] accepted) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must be one of " + Arrays.toString(accepted) + ", was null");
        }
    }
}
