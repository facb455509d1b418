package dev.upstreamguard.core.diagnostics;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8941 List parser for tests (§4.2, §4.2.1 to §4.2.8), written independently of the main
 * code so it can serve as the oracle for what the main code serialises. Any deviation from the grammar
 * throws {@link IllegalArgumentException} with the position.
 *
 * <p>Bare item values: {@link Long} (Integer), {@link BigDecimal} (Decimal), {@link String} (String),
 * {@link Token}, {@link Bytes}, {@link Boolean}. An inner list is an {@link InnerList}.
 */
public final class StrictSfList {

    /** An sf-token, kept apart from an sf-string. */
    public record Token(String value) {
    }

    /** An sf-binary. */
    public record Bytes(byte[] value) {
    }

    /** An inner list with its parameters. */
    public record InnerList(List<Member> items) {
    }

    /** A list member or inner-list item: a bare item (or inner list) and its ordered parameters. */
    public record Member(Object value, Map<String, Object> params) {
        /** The member name for Proxy-Status: the token or string text. */
        String nameText() {
            return value instanceof Token ? ((Token) value).value() : (String) value;
        }
    }

    private final String text;
    private int i;

    private StrictSfList(String text) {
        this.text = text;
    }

    /** Parses a whole field value as a List (RFC 8941 §4.2 with field type "list"). */
    public static List<Member> parse(String fieldValue) {
        for (int k = 0; k < fieldValue.length(); k++) {
            if (fieldValue.charAt(k) > 0x7F) {
                throw new IllegalArgumentException("non-ASCII at " + k);
            }
        }
        StrictSfList p = new StrictSfList(fieldValue);
        p.skip(" ");
        List<Member> members = p.list();
        p.skip(" ");
        if (p.i != p.text.length()) {
            p.fail("trailing characters");
        }
        return members;
    }

    private List<Member> list() {
        List<Member> out = new ArrayList<>();
        while (i < text.length()) {
            out.add(text.charAt(i) == '(' ? innerListMember() : itemMember());
            skip(" \t");
            if (i == text.length()) {
                return out;
            }
            if (text.charAt(i++) != ',') {
                fail("expected ','");
            }
            skip(" \t");
            if (i == text.length()) {
                fail("trailing comma");
            }
        }
        return out;
    }

    private Member innerListMember() {
        i++; // '('
        List<Member> items = new ArrayList<>();
        while (i < text.length()) {
            skip(" ");
            if (i < text.length() && text.charAt(i) == ')') {
                i++;
                return new Member(new InnerList(items), params());
            }
            items.add(itemMember());
            if (i >= text.length() || (text.charAt(i) != ' ' && text.charAt(i) != ')')) {
                fail("expected SP or ')' in inner list");
            }
        }
        throw fail("unterminated inner list");
    }

    private Member itemMember() {
        Object value = bareItem();
        return new Member(value, params());
    }

    private Map<String, Object> params() {
        Map<String, Object> out = new LinkedHashMap<>();
        while (i < text.length() && text.charAt(i) == ';') {
            i++;
            skip(" ");
            String key = key();
            Object value = Boolean.TRUE;
            if (i < text.length() && text.charAt(i) == '=') {
                i++;
                value = bareItem();
            }
            out.put(key, value);
        }
        return out;
    }

    private String key() {
        int start = i;
        if (i >= text.length() || !(isLower(text.charAt(i)) || text.charAt(i) == '*')) {
            fail("key must start with lcalpha or '*'");
        }
        while (i < text.length() && (isLower(text.charAt(i)) || isDigit(text.charAt(i))
                || "_-.*".indexOf(text.charAt(i)) >= 0)) {
            i++;
        }
        return text.substring(start, i);
    }

    private Object bareItem() {
        if (i >= text.length()) {
            throw fail("expected a bare item");
        }
        char c = text.charAt(i);
        if (c == '-' || isDigit(c)) {
            return number();
        }
        if (c == '"') {
            return string();
        }
        if (c == '*' || Character.isLetter(c) && c < 0x80) {
            return token();
        }
        if (c == ':') {
            return bytes();
        }
        if (c == '?') {
            return bool();
        }
        throw fail("unexpected '" + c + "'");
    }

    private Object number() {
        int start = i;
        boolean negative = text.charAt(i) == '-';
        if (negative) {
            i++;
        }
        if (i >= text.length() || !isDigit(text.charAt(i))) {
            fail("digit expected");
        }
        boolean decimal = false;
        int dot = -1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (isDigit(c)) {
                i++;
            } else if (c == '.' && !decimal) {
                if (i - start - (negative ? 1 : 0) > 12) {
                    fail("decimal with more than 12 integer digits");
                }
                decimal = true;
                dot = i;
                i++;
            } else {
                break;
            }
            int len = i - start - (negative ? 1 : 0);
            if (!decimal && len > 15) {
                fail("integer longer than 15 digits");
            }
            if (decimal && len > 16) {
                fail("decimal longer than 16 characters");
            }
        }
        String num = text.substring(start, i);
        if (!decimal) {
            return Long.parseLong(num);
        }
        int fraction = i - dot - 1;
        if (fraction == 0) {
            fail("decimal ends with '.'");
        }
        if (fraction > 3) {
            fail("more than 3 fraction digits");
        }
        return new BigDecimal(num);
    }

    private String string() {
        i++; // DQUOTE
        StringBuilder out = new StringBuilder();
        while (i < text.length()) {
            char c = text.charAt(i++);
            if (c == '\\') {
                if (i >= text.length()) {
                    fail("escape at end");
                }
                char next = text.charAt(i++);
                if (next != '"' && next != '\\') {
                    fail("bad escape \\" + next);
                }
                out.append(next);
            } else if (c == '"') {
                return out.toString();
            } else if (c < 0x20 || c > 0x7E) {
                fail("character " + (int) c + " not allowed in sf-string");
            } else {
                out.append(c);
            }
        }
        throw fail("unterminated sf-string");
    }

    private Token token() {
        int start = i++;
        while (i < text.length() && (isTokenChar(text.charAt(i)) || text.charAt(i) == ':' || text.charAt(i) == '/')) {
            i++;
        }
        return new Token(text.substring(start, i));
    }

    private Bytes bytes() {
        int start = ++i;
        while (i < text.length() && text.charAt(i) != ':') {
            char c = text.charAt(i++);
            if (!(Character.isLetterOrDigit(c) && c < 0x80) && c != '+' && c != '/' && c != '=') {
                fail("bad base64 character");
            }
        }
        if (i >= text.length()) {
            fail("unterminated byte sequence");
        }
        String b64 = text.substring(start, i++);
        String padded = b64.replace("=", "") + "===".substring(0, (4 - b64.replace("=", "").length() % 4) % 4);
        try {
            return new Bytes(Base64.getDecoder().decode(padded));
        } catch (IllegalArgumentException e) {
            throw fail("undecodable base64 " + b64);
        }
    }

    private Boolean bool() {
        i++;
        if (i >= text.length()) {
            fail("boolean value missing");
        }
        char c = text.charAt(i++);
        if (c == '1') {
            return Boolean.TRUE;
        }
        if (c == '0') {
            return Boolean.FALSE;
        }
        throw fail("boolean must be ?0 or ?1");
    }

    private void skip(String chars) {
        while (i < text.length() && chars.indexOf(text.charAt(i)) >= 0) {
            i++;
        }
    }

    private IllegalArgumentException fail(String why) {
        throw new IllegalArgumentException(why + " at " + i + " in <" + text + ">");
    }

    private static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isTokenChar(char c) {
        return (c < 0x80 && Character.isLetterOrDigit(c)) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
