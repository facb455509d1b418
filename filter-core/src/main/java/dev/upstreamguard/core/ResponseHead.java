package dev.upstreamguard.core;

import java.util.List;
import java.util.Map;

/**
 * A read-only view of a parsed response head: the status, the reason phrase and the field lines in the
 * order received, duplicates kept. Adapters wrap their library's header object without copying it.
 *
 * <p>Values are the field values as the library parsed them, normally without the surrounding OWS
 * (RFC 9110 §5.5). Characters stand for octets (ISO-8859-1); a library that decoded UTF-8 may hand over
 * characters above U+00FF, which the validator treats as obs-text and counts by their UTF-8 length.
 */
public interface ResponseHead {

    /** The status code as received; not range-checked. */
    int status();

    /** The reason phrase, or {@code null} when there is none (HTTP/2 and later) or it is unknown. */
    String reason();

    /** The number of field lines. */
    int fieldCount();

    /** The name of the field line at {@code index}, as received (any case). */
    String fieldName(int index);

    /** The value of the field line at {@code index}. */
    String fieldValue(int index);

    /**
     * A head from alternating names and values, e.g. {@code of(200, "OK", "Content-Length", "5")}.
     *
     * @throws IllegalArgumentException when the number of strings is odd
     * @throws NullPointerException     when a name or a value is {@code null}
     */
    static ResponseHead of(int status, String reason, String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("namesAndValues must alternate names and values, got an odd count "
                    + namesAndValues.length);
        }
        int count = namesAndValues.length / 2;
        String[] names = new String[count];
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = requireField(namesAndValues[2 * i], "name", i);
            values[i] = requireField(namesAndValues[2 * i + 1], "value", i);
        }
        return new ArrayResponseHead(status, reason, names, values);
    }

    /**
     * A head from a list of name/value pairs in received order.
     *
     * @throws NullPointerException when a pair, a name or a value is {@code null}
     */
    static ResponseHead of(int status, String reason, List<Map.Entry<String, String>> fields) {
        int count = fields.size();
        String[] names = new String[count];
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            Map.Entry<String, String> field = fields.get(i);
            if (field == null) {
                throw new NullPointerException("field " + i + " is null");
            }
            names[i] = requireField(field.getKey(), "name", i);
            values[i] = requireField(field.getValue(), "value", i);
        }
        return new ArrayResponseHead(status, reason, names, values);
    }

    private static String requireField(String s, String what, int index) {
        if (s == null) {
            throw new NullPointerException("field " + index + " has a null " + what);
        }
        return s;
    }
}
