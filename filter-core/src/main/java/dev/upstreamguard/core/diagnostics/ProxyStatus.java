package dev.upstreamguard.core.diagnostics;

import dev.upstreamguard.core.StructuredFields;
import dev.upstreamguard.core.UpstreamFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Builds, appends and reads the {@code Proxy-Status} response field (RFC 9209 §2), an RFC 8941 List in
 * which each intermediary appends one member that names itself.
 *
 * <p>What is safe to show anyone ({@code error}, {@code received-status} and the extra parameters of
 * RFC 9209 §2.3 such as {@code rcode} or {@code header-size}) is always written; {@code details} and
 * {@code next-hop} only when the caller's exposure policy allows it (RFC 9209 §4 warns that they may
 * reveal internal topology).
 *
 * <p>A received value that is not a valid RFC 8941 List is dropped when ours is appended: recipients
 * would otherwise ignore the whole field, our member included (RFC 8941 §4.2). Each drop is counted
 * ({@link #droppedMalformedReceived()}) and logged at DEBUG by this class's logger.
 */
public final class ProxyStatus {

    /** The field name. */
    public static final String FIELD_NAME = "Proxy-Status";

    /** The default member name that identifies this library's intermediary. */
    public static final String DEFAULT_MEMBER_NAME = "upstream-guard";

    private static final Logger LOG = LoggerFactory.getLogger(ProxyStatus.class);
    private static final LongAdder DROPPED_MALFORMED = new LongAdder();

    private ProxyStatus() {
    }

    /**
     * How many received {@code Proxy-Status} values this class has dropped as malformed since the JVM
     * started (each call of {@code append} drops at most one), for a meter or a test; never decreases.
     */
    public static long droppedMalformedReceived() {
        return DROPPED_MALFORMED.sum();
    }

    /**
     * Our member for a failure: {@code error} (RFC 9209 §2.1.1), then each of the failure's parameters
     * with the structured type RFC 9209 §2.3 defines for it (an Integer, a String or a Token; parameters
     * RFC 9209 does not define are written as given: numbers as sf-integers, text as sf-strings), then
     * {@code details} (§2.1.5) and {@code next-hop} (§2.1.2) only when {@code exposeDetails}.
     *
     * <p>The failure's content never makes this throw: a parameter whose key is not an RFC 8941 key, whose
     * number is out of sf-integer range, or whose text cannot stand for the Integer RFC 9209 requires, is
     * left out. Parameters named {@code error}, {@code details} or {@code next-hop} in
     * {@link UpstreamFailure#parameters()} are ignored: those come from the type, the failure's own
     * details and {@code nextHop}.
     *
     * @param memberName    our configured name (see {@link ProxyStatusMember#named(String)})
     * @param failure       the classified failure
     * @param nextHop       the upstream we chose (host:port or an alias), or {@code null}
     * @param exposeDetails whether this client may see {@code details} and {@code next-hop}
     * @return the serialised member, ready for {@link #append(String, String)}
     * @throws IllegalArgumentException when {@code memberName} is not a usable name
     */
    public static String member(String memberName, UpstreamFailure failure, String nextHop, boolean exposeDetails) {
        Objects.requireNonNull(failure, "failure");
        ProxyStatusMember member = ProxyStatusMember.named(memberName).error(failure.type());
        for (Map.Entry<String, Object> p : failure.parameters().entrySet()) {
            writeParameter(member, p.getKey(), p.getValue());
        }
        if (exposeDetails && failure.details() != null) {
            member.details(failure.details());
        }
        if (exposeDetails && nextHop != null && !nextHop.isEmpty()) {
            member.nextHop(nextHop);
        }
        return member.serialize();
    }

    /**
     * Our member for an upstream response we pass through: {@code received-status} (RFC 9209 §2.1.4), and
     * {@code next-hop} when {@code exposeDetails}. A status outside 100..999 is left out rather than
     * failing a response that is already on its way.
     *
     * @throws IllegalArgumentException when {@code memberName} is not a usable name
     */
    public static String passThroughMember(String memberName, int receivedStatus, String nextHop,
                                           boolean exposeDetails) {
        ProxyStatusMember member = ProxyStatusMember.named(memberName);
        if (receivedStatus >= 100 && receivedStatus <= 999) {
            member.receivedStatus(receivedStatus);
        }
        if (exposeDetails && nextHop != null && !nextHop.isEmpty()) {
            member.nextHop(nextHop);
        }
        return member.serialize();
    }

    /**
     * The field value with {@code member} appended (RFC 9209 §2: members are ordered from the origin
     * towards the client, and intermediaries SHOULD preserve the members they received). A received
     * value that is a valid RFC 8941 List is kept byte for byte, only its surrounding whitespace trimmed;
     * one that is not (RFC 8941 §4.2: the whole field then fails to parse) is dropped, counted and logged
     * at DEBUG, and our member is sent alone, so every value this returns is a valid List.
     *
     * @param existingFieldValue the received value, or {@code null}/blank when there was none
     * @param member             our serialised member
     */
    public static String append(String existingFieldValue, String member) {
        Objects.requireNonNull(member, "member");
        String existing = trimOws(existingFieldValue);
        if (existing.isEmpty()) {
            return member;
        }
        return wellFormedOrDropped(existing) ? existing + ", " + member : member;
    }

    /**
     * Like {@link #append(String, String)} for a field received as several field lines: the lines are
     * combined in order with {@code ", "} (RFC 9110 §5.3, RFC 8941 §4.2), blank lines skipped; the
     * combined value is kept when it is a valid List, else dropped as a whole, and our member appended.
     */
    public static String append(List<String> existingFieldLines, String member) {
        Objects.requireNonNull(member, "member");
        if (existingFieldLines == null || existingFieldLines.isEmpty()) {
            return member;
        }
        StringBuilder combined = new StringBuilder();
        for (String line : existingFieldLines) {
            String trimmed = trimOws(line);
            if (!trimmed.isEmpty()) {
                combined.append(combined.length() == 0 ? "" : ", ").append(trimmed);
            }
        }
        if (combined.length() == 0) {
            return member;
        }
        return wellFormedOrDropped(combined.toString()) ? combined.append(", ").append(member).toString() : member;
    }

    /** Whether a trimmed, non-empty received value parses; counts and logs it when it does not. */
    private static boolean wellFormedOrDropped(String received) {
        if (ListScanner.scan(received).wellFormed()) {
            return true;
        }
        DROPPED_MALFORMED.increment();
        if (LOG.isDebugEnabled()) {
            LOG.debug("dropped a received Proxy-Status that is not an RFC 8941 List ({} characters): {}",
                    received.length(), StructuredFields.printable(received));
        }
        return false;
    }

    /**
     * Whether a received value already carries a member named {@code memberName} (as an sf-token or an
     * sf-string: RFC 9209 §2 compares names character by character), for loop detection
     * ({@code proxy_loop_detected}, RFC 9209 §2.3.32). Tolerant: members are read up to the first syntax
     * error, so a malformed tail hides only what follows it; never throws.
     */
    public static boolean containsMember(String fieldValue, String memberName) {
        if (memberName == null || fieldValue == null) {
            return false;
        }
        return ListScanner.scan(fieldValue).names().contains(memberName);
    }

    /** {@link #containsMember(String, String)} over several field lines, each read on its own. */
    public static boolean containsMember(List<String> fieldLines, String memberName) {
        if (fieldLines == null) {
            return false;
        }
        for (String line : fieldLines) {
            if (containsMember(line, memberName)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code fieldValue} is a valid RFC 8941 List ({@code null} and blank are: the empty list). */
    public static boolean isWellFormed(String fieldValue) {
        return ListScanner.scan(trimOws(fieldValue)).wellFormed();
    }

    private static void writeParameter(ProxyStatusMember member, String key, Object value) {
        if (!StructuredFields.isKey(key) || "error".equals(key) || "details".equals(key) || "next-hop".equals(key)) {
            return;
        }
        ParameterKind kind = ParameterKind.of(key);
        if (value instanceof Integer || value instanceof Long) {
            long number = ((Number) value).longValue();
            if (kind == ParameterKind.STRING || kind == ParameterKind.TOKEN_OR_STRING) {
                writeText(member, key, kind, Long.toString(number));
            } else if (StructuredFields.isIntegerInRange(number)) {
                member.param(key, number);
            }
        } else if (value instanceof String) {
            String text = (String) value;
            if (kind == ParameterKind.INTEGER) {
                writeIntegerText(member, key, text);
            } else {
                writeText(member, key, kind, text);
            }
        }
    }

    private static void writeText(ProxyStatusMember member, String key, ParameterKind kind, String text) {
        if (kind == ParameterKind.TOKEN_OR_STRING) {
            member.tokenParam(key, text);
        } else {
            member.param(key, text);
        }
    }

    private static void writeIntegerText(ProxyStatusMember member, String key, String text) {
        if (isShortInteger(text)) {
            member.param(key, Long.parseLong(text));
        }
    }

    /** {@code -?[0-9]{1,15}}: an RFC 8941 Integer's text (§3.3.1). */
    private static boolean isShortInteger(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        int digits = text.length() - start;
        if (digits < 1 || digits > 15) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Trims OWS (SP / HTAB, RFC 9110 §5.6.3) from both ends; {@code null} becomes empty. */
    private static String trimOws(String s) {
        if (s == null) {
            return "";
        }
        int start = 0;
        int end = s.length();
        while (start < end && isOws(s.charAt(start))) {
            start++;
        }
        while (end > start && isOws(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}
