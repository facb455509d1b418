package dev.upstreamguard.core.diagnostics;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Text that breaks naive serialisers, shared by the round-trip tests. */
public final class NastyStrings {

    private NastyStrings() {
    }

    public static List<String> all() {
        List<String> out = new ArrayList<>(List.of(
                "",
                "plain text",
                "quote \" inside",
                "back \\ slash",
                "\\\"",
                "\"\"\"",
                "ends with backslash \\",
                "controls \u0000\u0001\r\n\t\u001f and DEL \u007f",
                "CRLF injection\r\nSet-Cookie: a=b",
                "non-ASCII \u00e9\u00fc \u65e5\u672c",
                "emoji \uD83D\uDE00 pair",
                "lone high \uD800 surrogate",
                "lone low \uDC00 surrogate",
                "reversed \uDC00\uD800 pair",
                "line sep \u2028 para sep \u2029",
                "; , = ( ) : ? * / params-looking, \"text\";x=1",
                "x".repeat(100_000)));
        Random random = new Random(9209);
        for (int n = 0; n < 50; n++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(200);
            for (int k = 0; k < length; k++) {
                switch (random.nextInt(4)) {
                    case 0: sb.append((char) random.nextInt(0x80)); break;
                    case 1: sb.append((char) (0x20 + random.nextInt(0x5F))); break;
                    case 2: sb.append("\"\\".charAt(random.nextInt(2))); break;
                    default: sb.append((char) random.nextInt(0x10000)); break;
                }
            }
            out.add(sb.toString());
        }
        return out;
    }

    /**
     * The documented sf-string form of {@code s}: each code point outside printable ASCII becomes one
     * {@code '?'} (a lone surrogate is a code point of its own).
     */
    public static String sfStringForm(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> sb.append(cp >= 0x20 && cp <= 0x7E ? (char) cp : '?'));
        return sb.toString();
    }
}
