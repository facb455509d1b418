package dev.upstreamguard.core.validate;

import dev.upstreamguard.core.HeadRepair;
import dev.upstreamguard.core.HttpChars;
import dev.upstreamguard.core.ResponseHead;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.ValidationContext;
import dev.upstreamguard.core.policy.ContentLengthWithTransferEncoding;
import dev.upstreamguard.core.policy.ObsFoldHandling;
import dev.upstreamguard.core.policy.ValidationPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Validates an upstream response head before anything is committed to the client, so a
 * response that breaks HTTP never reaches the client in part or whole. Thread-safe; one instance serves
 * every response.
 *
 * <p>One pass, in this order, failing on the first violation:
 * <ol>
 * <li>the status: 100-599 (RFC 9110 §15); 1xx is an interim response that must not reach a final-head
 *     check, except {@code 101} when an upgrade was requested (RFC 9110 §15.2, §15.2.2); the reason
 *     phrase holds only HTAB, SP, VCHAR and obs-text (RFC 9112 §4);</li>
 * <li>for each field line in received order: the count limit; the name is a token (RFC 9110 §5.1); the
 *     value holds no CR, LF, NUL or other control character except HTAB (RFC 9110 §5.5, RFC 9112 §2.2),
 *     an obs-fold being rejected or repaired per policy (RFC 9112 §5.2); the field line size, then the
 *     running section size; Content-Length is one decimal number of at most 18 digits after its leading
 *     zeros, identical in every occurrence (RFC 9110 §8.6), and 0 in a 101 or 204 (RFC 9110 §8.6: a
 *     server must not send it there; 0 frames nothing and is tolerated); Transfer-Encoding lists valid
 *     codings, {@code chunked} at most once, and is absent from a 101 or 204 (RFC 9112 §6.1); when the
 *     response has content its codings are {@code chunked}, last, and {@code identity} only: the clients
 *     the adapters use decode no other transfer coding (RFC 9112 §6.1, §7); the two framing fields
 *     together are rejected or the Content-Length dropped per policy (RFC 9112 §6.3);</li>
 * <li>a {@code 101} carries a non-empty {@code Upgrade} field (RFC 9110 §7.8, §15.2.2);</li>
 * <li>the extra {@link ValidationRule}s, in order.</li>
 * </ol>
 * A 304 may carry both framing fields (RFC 9110 §8.6, RFC 9112 §6.1); like a response to HEAD, only their
 * syntax is checked. {@code Transfer-Encoding: identity} alone is accepted: the response is then
 * delimited by the connection closing (RFC 9112 §6.3). A status other than 101 after a requested upgrade
 * is not a head violation; the integration decides about {@code http_upgrade_failed}.
 *
 * <p>The success path allocates nothing and returns {@link ValidationResult#OK}.
 */
public final class ResponseHeadValidator {

    private static final int CONTENT_LENGTH = 1;
    private static final int TRANSFER_ENCODING = 2;
    /** {@code "HTTP/1.1 NNN "} and the status line's CRLF, without the reason phrase. */
    private static final int STATUS_LINE_WITHOUT_REASON = 15;
    private static final int CRLF_LENGTH = 2;
    /** {@code ": "} and CRLF around a field value. */
    private static final int FIELD_LINE_OVERHEAD = 4;

    private final ValidationPolicy policy;
    private final List<ValidationRule> extraRules;
    private final boolean acceptFolds;
    private final boolean dropContentLength;

    /** A validator with the given limits and lenient choices and no extra rules. */
    public ResponseHeadValidator(ValidationPolicy policy) {
        this(policy, List.of());
    }

    /**
     * A validator that also runs {@code extraRules}, in order, on heads that pass its own rules.
     *
     * @throws NullPointerException when the policy, the list or a rule is {@code null}
     */
    public ResponseHeadValidator(ValidationPolicy policy, List<ValidationRule> extraRules) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.extraRules = List.copyOf(extraRules);
        this.acceptFolds = policy.obsFold() == ObsFoldHandling.REPLACE_WITH_SPACE;
        this.dropContentLength =
                policy.contentLengthWithTransferEncoding() == ContentLengthWithTransferEncoding.DROP_CONTENT_LENGTH;
    }

    /** The policy this validator applies. */
    public ValidationPolicy policy() {
        return policy;
    }

    /**
     * Validates one response head.
     *
     * @param head    the head as the upstream client parsed it; a {@code null} value counts as empty
     * @param context what the request asked for
     * @return {@link ValidationResult#OK}, a result with the repairs a lenient policy requires, or a
     *         rejection whose failure names the first violated rule
     * @throws NullPointerException when the head or the context is {@code null}
     */
    public ValidationResult validate(ResponseHead head, ValidationContext context) {
        Objects.requireNonNull(context, "context");
        int status = head.status();
        UpstreamFailure statusFailure = checkStatus(status, context);
        if (statusFailure != null) {
            return ValidationResult.rejected(statusFailure);
        }
        long sectionSize = STATUS_LINE_WITHOUT_REASON + CRLF_LENGTH;
        String reason = head.reason();
        if (reason != null) {
            long extraBytes = HttpChars.scanReasonPhrase(reason);
            if (extraBytes < 0) {
                return reject(HeadViolations.INVALID_REASON);
            }
            sectionSize += reason.length() + extraBytes;
        }
        int fieldCount = head.fieldCount();
        if (sectionSize > policy.maxHeaderSectionSize()) {
            return ValidationResult.rejected(HeadViolations.sectionTooLarge(sizeFrom(head, 0, fieldCount, sectionSize)));
        }
        boolean decodable = !context.headRequest() && status != 204 && status != 304 && status >= 200;
        boolean framingForbidden = status == 204 || status < 200;   // 101 is the only 1xx that gets here
        boolean upgradeSeen = false;
        long contentLength = -1;
        int contentLengthFields = 0;
        boolean contentLengthList = false;
        boolean transferEncoding = false;
        int transferCodingState = 0;
        List<HeadRepair> repairs = null;

        // the fields within the count limit first, so a violation among them is reported before the count
        int fieldsWithinLimit = Math.min(fieldCount, policy.maxHeaderCount());
        for (int i = 0; i < fieldsWithinLimit; i++) {
            String name = head.fieldName(i);
            if (!HttpChars.isToken(name)) {
                return reject(HeadViolations.INVALID_NAME);
            }
            String value = valueAt(head, i);
            int framing = framingField(name);
            long scan = FieldValues.scan(value, acceptFolds && framing == 0);
            if (scan < 0) {
                return reject(scan == FieldValues.OBS_FOLD && acceptFolds
                        ? HeadViolations.OBS_FOLD_IN_FRAMING : HeadViolations.valueDetails(scan));
            }
            long fieldSize = name.length() + value.length() + FIELD_LINE_OVERHEAD + (scan & FieldValues.EXTRA_BYTES);
            if (fieldSize > policy.maxHeaderSize()) {
                return ValidationResult.rejected(HeadViolations.headerTooLarge(name, fieldSize));
            }
            sectionSize += fieldSize;
            if (sectionSize > policy.maxHeaderSectionSize()) {
                return ValidationResult.rejected(
                        HeadViolations.sectionTooLarge(sizeFrom(head, i + 1, fieldCount, sectionSize)));
            }
            if ((scan & FieldValues.FOLDED) != 0) {
                repairs = add(repairs, new HeadRepair(i, FieldValues.unfold(value), HeadRepair.RULE_OBS_FOLD));
            }
            if (framing == CONTENT_LENGTH) {
                long length = ContentLengthValue.parse(value);
                if (length < 0) {
                    return reject(HeadViolations.contentLengthDetails(length));
                }
                if (contentLength >= 0 && length != contentLength) {
                    return reject(HeadViolations.CONTENT_LENGTH_FIELDS_DIFFER);
                }
                if (framingForbidden && length != 0) {
                    return reject(HeadViolations.CONTENT_LENGTH_WITHOUT_CONTENT);
                }
                contentLength = length;
                contentLengthFields++;
                contentLengthList |= value.indexOf(',') >= 0;
            } else if (framing == TRANSFER_ENCODING) {
                long state = TransferCodings.scan(value, transferCodingState, decodable);
                if (state < 0) {
                    return ValidationResult.rejected(HeadViolations.transferCoding(value, state));
                }
                if (framingForbidden) {
                    return reject(HeadViolations.TRANSFER_ENCODING_WITHOUT_CONTENT);
                }
                transferCodingState = (int) state;
                transferEncoding = true;
            } else if (status == 101 && !upgradeSeen) {
                upgradeSeen = isUpgrade(name) && hasListElement(value);
            }
            if (framing != 0 && transferEncoding && contentLength >= 0 && !dropContentLength) {
                return reject(HeadViolations.TRANSFER_ENCODING_WITH_CONTENT_LENGTH);
            }
        }

        if (fieldCount > fieldsWithinLimit) {
            return ValidationResult.rejected(HeadViolations.tooManyFields(fieldCount, policy.maxHeaderCount()));
        }
        if (status == 101 && !upgradeSeen) {
            return reject(HeadViolations.UPGRADE_MISSING);
        }
        if (contentLengthFields > 0 && (transferEncoding || contentLengthFields > 1 || contentLengthList)) {
            repairs = contentLengthRepairs(head, transferEncoding, contentLength, repairs);
        }
        for (int i = 0, n = extraRules.size(); i < n; i++) {   // indexed: an iterator would allocate
            UpstreamFailure failure = extraRules.get(i).check(head, context);
            if (failure != null) {
                return ValidationResult.rejected(failure);
            }
        }
        if (repairs == null) {
            return ValidationResult.OK;
        }
        repairs.sort(Comparator.comparingInt(HeadRepair::fieldIndex));
        return ValidationResult.repaired(repairs);
    }

    /**
     * The failure for a field line whose name is not a token (RFC 9110 §5.1), whitespace before the colon
     * included (RFC 9112 §5.1), or that has no colon: the rejection {@link #validate} gives such a name. For a
     * client that reads the raw bytes because its HTTP library rewrites the name before the head is built.
     */
    public static UpstreamFailure invalidFieldName() {
        return HeadViolations.protocolError(HeadViolations.INVALID_NAME);
    }

    /**
     * What this validator's policy makes of an obs-fold (RFC 9112 §5.2) seen in the raw bytes of a field line,
     * for a client whose HTTP library unfolds it before the head is built: {@code null} when the policy
     * replaces folds with a space (the library's unfolding is then that repair), else the rejection
     * {@link #validate} gives a fold.
     *
     * @param framingField whether the folded field is Content-Length or Transfer-Encoding (never repaired)
     */
    public UpstreamFailure obsFold(boolean framingField) {
        if (!acceptFolds) {
            return HeadViolations.protocolError(HeadViolations.OBS_FOLD);
        }
        return framingField ? HeadViolations.protocolError(HeadViolations.OBS_FOLD_IN_FRAMING) : null;
    }

    private static UpstreamFailure checkStatus(int status, ValidationContext context) {
        if (status < 100 || status > 599) {
            return HeadViolations.protocolError(HeadViolations.STATUS_OUT_OF_RANGE);
        }
        if (status >= 200) {
            return null;
        }
        if (status != 101) {
            return HeadViolations.protocolError(HeadViolations.INTERIM_STATUS);
        }
        return context.upgradeRequested() ? null : HeadViolations.protocolError(HeadViolations.UNREQUESTED_UPGRADE);
    }

    private static ValidationResult reject(String protocolErrorDetails) {
        return ValidationResult.rejected(HeadViolations.protocolError(protocolErrorDetails));
    }

    private static String valueAt(ResponseHead head, int index) {
        String value = head.fieldValue(index);
        return value == null ? "" : value;
    }

    /** {@link #CONTENT_LENGTH}, {@link #TRANSFER_ENCODING} or 0, comparing case-insensitively in place. */
    private static int framingField(String name) {
        int length = name.length();
        if (length == 14 && name.regionMatches(true, 0, "Content-Length", 0, 14)) {
            return CONTENT_LENGTH;
        }
        if (length == 17 && name.regionMatches(true, 0, "Transfer-Encoding", 0, 17)) {
            return TRANSFER_ENCODING;
        }
        return 0;
    }

    private static boolean isUpgrade(String name) {
        return name.length() == 7 && name.regionMatches(true, 0, "Upgrade", 0, 7);
    }

    /** Whether a list-based value (RFC 9110 §5.6.1) has an element: anything but OWS and commas. */
    private static boolean hasListElement(String value) {
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c != ',' && !HttpChars.isWhitespace(c)) {
                return true;
            }
        }
        return false;
    }

    /** The section size so far plus the field lines from {@code from} on, as received (failure path). */
    private static long sizeFrom(ResponseHead head, int from, int fieldCount, long sizeSoFar) {
        long size = sizeSoFar;
        for (int i = from; i < fieldCount; i++) {
            String name = head.fieldName(i);
            size += (name == null ? 0 : name.length()) + valueAt(head, i).length() + FIELD_LINE_OVERHEAD;
        }
        return size;
    }

    /**
     * Drops every Content-Length beside Transfer-Encoding (the policy allows it, or we would have failed),
     * or collapses identical Content-Length values into the first field (RFC 9110 §8.6).
     */
    private static List<HeadRepair> contentLengthRepairs(ResponseHead head, boolean transferEncoding,
                                                         long contentLength, List<HeadRepair> repairs) {
        boolean first = true;
        for (int i = 0, n = head.fieldCount(); i < n; i++) {
            if (framingField(head.fieldName(i)) != CONTENT_LENGTH) {
                continue;
            }
            if (transferEncoding) {
                repairs = add(repairs, HeadRepair.drop(i, HeadRepair.RULE_CONTENT_LENGTH_WITH_TRANSFER_ENCODING));
            } else if (!first) {
                repairs = add(repairs, HeadRepair.drop(i, HeadRepair.RULE_DUPLICATE_CONTENT_LENGTH));
            } else if (valueAt(head, i).indexOf(',') >= 0) {
                repairs = add(repairs, new HeadRepair(i, Long.toString(contentLength),
                        HeadRepair.RULE_DUPLICATE_CONTENT_LENGTH));
            }
            first = false;
        }
        return repairs;
    }

    private static List<HeadRepair> add(List<HeadRepair> repairs, HeadRepair repair) {
        List<HeadRepair> list = repairs == null ? new ArrayList<>(2) : repairs;
        list.add(repair);
        return list;
    }
}
