package dev.upstreamguard.servlet;

import dev.upstreamguard.core.ResponseHead;
import dev.upstreamguard.core.policy.OriginGuardPolicy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The origin-side guard's measurement: would a proxy in front of this application refuse its response
 * head? nginx answers "upstream sent too big header" with a 502 when the head does not fit
 * {@code proxy_buffer_size}, and rejects field names and values with characters RFC 9110 §5.1 and §5.5
 * forbid. This check finds both before the head is committed.
 *
 * <p>Sizes count what goes on the wire in HTTP/1.1: {@code HTTP/1.1 NNN Reason\r\n}, each
 * {@code name: value\r\n}, and the final CRLF (RFC 9112 §2.1).
 */
public final class OriginHeadCheck {
    /** Fields STRIP never removes: message framing and representation metadata. */
    public static final Set<String> PROTECTED_FIELDS = Set.of("content-type", "content-length",
            "transfer-encoding", "content-encoding", "content-range", "location");

    private static final int STATUS_LINE_SIZE = "HTTP/1.1 200 Internal Server Error\r\n".length();

    private final OriginGuardPolicy policy;

    /** A check against {@code policy}'s budget. */
    public OriginHeadCheck(OriginGuardPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** Measures {@code head}. */
    public OriginHeadReport inspect(ResponseHead head) {
        int size = STATUS_LINE_SIZE + 2;
        List<Integer> illegal = new ArrayList<>(0);
        int n = head.fieldCount();
        for (int i = 0; i < n; i++) {
            String name = head.fieldName(i);
            String value = head.fieldValue(i);
            size += fieldSize(name, value);
            if (!isToken(name) || !isLegalValue(value)) {
                illegal.add(i);
            }
        }
        boolean over = size > policy.headerBudget();
        if (!over && illegal.isEmpty()) {
            return new OriginHeadReport(size, false, List.of(), List.of(), size);
        }
        List<Integer> strip = new ArrayList<>(illegal);
        int after = size;
        for (int i : illegal) {
            after -= fieldSize(head.fieldName(i), head.fieldValue(i));
        }
        if (after > policy.headerBudget()) {
            List<Integer> removable = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (!illegal.contains(i) && !PROTECTED_FIELDS.contains(head.fieldName(i).toLowerCase(Locale.ROOT))) {
                    removable.add(i);
                }
            }
            removable.sort(Comparator.comparingInt((Integer i) -> fieldSize(head.fieldName(i), head.fieldValue(i))).reversed());
            for (int i : removable) {
                if (after <= policy.headerBudget()) {
                    break;
                }
                strip.add(i);
                after -= fieldSize(head.fieldName(i), head.fieldValue(i));
            }
        }
        return new OriginHeadReport(size, over, illegal, strip, after);
    }

    /** The wire size of one field line: {@code name: value\r\n}. */
    public static int fieldSize(String name, String value) {
        return name.length() + 2 + (value == null ? 0 : value.length()) + 2;
    }

    static boolean isToken(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    static boolean isLegalValue(String value) {
        if (value == null) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
                return false;
            }
        }
        return true;
    }
}
