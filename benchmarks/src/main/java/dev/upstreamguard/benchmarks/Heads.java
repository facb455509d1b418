package dev.upstreamguard.benchmarks;

import dev.upstreamguard.core.ResponseHead;

import java.util.ArrayList;
import java.util.List;

/**
 * The response heads the benchmarks validate, built once per trial: a typical 12-field head of a JSON
 * API behind a TLS front end, and a 100-field head (the typical one plus 88 more field lines of a
 * chatty application: cookies, links, tracing and custom headers).
 */
final class Heads {

    /** Names and values of the typical head, in the order a server would send them. */
    private static final String[] TYPICAL = {
        "Date", "Tue, 25 Nov 2026 10:15:30 GMT",
        "Content-Type", "application/json; charset=utf-8",
        "Content-Length", "1834",
        "Cache-Control", "private, max-age=0, must-revalidate",
        "ETag", "W/\"5d8c72a5edda8d6a:3239\"",
        "Last-Modified", "Mon, 24 Nov 2026 08:00:00 GMT",
        "Vary", "Accept-Encoding, Origin",
        "Server", "nginx",
        "X-Request-Id", "7f3c2a9e-4b1d-4c8e-9a6f-2d5e8b1c0a47",
        "Strict-Transport-Security", "max-age=31536000; includeSubDomains",
        "Set-Cookie", "session=3q2-7w8AAABkZXZlbG9wZXI; Path=/; Secure; HttpOnly; SameSite=Lax",
        "Connection", "keep-alive",
    };

    private Heads() {
    }

    /** A 200 with the 12 typical field lines. */
    static ResponseHead typical() {
        return ResponseHead.of(200, "OK", TYPICAL.clone());
    }

    /** A 200 with {@code fieldCount} field lines: the typical 12 first, then realistic extras. */
    static ResponseHead withFields(int fieldCount) {
        List<String> fields = new ArrayList<>(List.of(TYPICAL));
        for (int i = 0; fields.size() / 2 < fieldCount; i++) {
            switch (i % 4) {
                case 0:
                    fields.add("Set-Cookie");
                    fields.add("pref" + i + "=v" + (1000 + i) + "; Path=/; Max-Age=2592000; Secure; SameSite=Lax");
                    break;
                case 1:
                    fields.add("Link");
                    fields.add("</static/app-" + i + ".js>; rel=preload; as=script");
                    break;
                case 2:
                    fields.add("X-Trace-" + i);
                    fields.add("00-4bf92f3577b34da6a3ce929d0e0e" + (4700 + i) + "-00f067aa0ba902b7-01");
                    break;
                default:
                    fields.add("X-App-Feature-" + i);
                    fields.add("enabled; variant=b; rollout=25");
                    break;
            }
        }
        return ResponseHead.of(200, "OK", fields.toArray(new String[0]));
    }

    /** What a proxy copying the head already pays: visit every field line and read both lengths. */
    static long lengths(ResponseHead head) {
        long sum = 0;
        for (int i = 0, n = head.fieldCount(); i < n; i++) {
            sum += head.fieldName(i).length() + head.fieldValue(i).length();
        }
        return sum;
    }

    /**
     * A stricter baseline: read every character of every name and value once, the least any copy of the
     * head into an output buffer does.
     */
    static long characters(ResponseHead head) {
        long sum = 0;
        for (int i = 0, n = head.fieldCount(); i < n; i++) {
            sum += sumOfChars(head.fieldName(i)) + sumOfChars(head.fieldValue(i));
        }
        return sum;
    }

    private static long sumOfChars(String s) {
        long sum = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            sum += s.charAt(i);
        }
        return sum;
    }
}
