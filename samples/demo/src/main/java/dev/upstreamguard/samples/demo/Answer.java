package dev.upstreamguard.samples.demo;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a client saw for one request, read off the socket: the final response head (interim 1xx skipped)
 * and whether the body arrived whole by its own framing.
 *
 * @param status      the final status, or -1 when no complete head arrived
 * @param proxyStatus every {@code Proxy-Status} field line joined with ", ", or {@code null}
 * @param body        the body bytes received (decoded from chunks when chunked)
 * @param ending      how the exchange ended
 */
public record Answer(int status, String proxyStatus, byte[] body, Ending ending) {

    /** How an exchange ended, from the client's side. */
    public enum Ending {
        /** The whole response arrived (Content-Length reached, last-chunk seen, or close-delimited body ended). */
        COMPLETE,
        /** The connection closed or was reset before the body's framing was complete: the body is cut short. */
        TRUNCATED,
        /** Nothing more arrived before the client's time limit. */
        HUNG,
        /** The connection closed cleanly before a complete response head. */
        CLOSED,
        /** The connection was reset before a complete response head. */
        RESET
    }

    private static final Pattern OUR_ERROR = Pattern.compile("(?:^|,)\\s*upstream-guard;(?:[^,]*;)?error=([a-z_0-9]+)");
    private static final Pattern OUR_RECEIVED = Pattern.compile("(?:^|,)\\s*upstream-guard;(?:[^,]*;)?received-status=(\\d+)");

    /** Whether a response head arrived. */
    public boolean answered() {
        return status >= 0;
    }

    /** Whether the response arrived whole. */
    public boolean complete() {
        return ending == Ending.COMPLETE;
    }

    /** The RFC 9209 {@code error} token of the {@code upstream-guard} member, or {@code null}. */
    public String ourError() {
        return lastGroup(OUR_ERROR);
    }

    /** The {@code received-status} of the {@code upstream-guard} member, or -1. */
    public int ourReceivedStatus() {
        String value = lastGroup(OUR_RECEIVED);
        return value == null ? -1 : Integer.parseInt(value);
    }

    private String lastGroup(Pattern pattern) {
        if (proxyStatus == null) {
            return null;
        }
        Matcher m = pattern.matcher(proxyStatus.toLowerCase(Locale.ROOT));
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }

    /** One table cell: e.g. {@code 502 connection_refused}, {@code 500}, {@code 200 truncated}, {@code hung}. */
    public String cell() {
        if (!answered()) {
            return switch (ending) {
                case HUNG -> "hung, no answer";
                case RESET -> "reset, no answer";
                default -> "closed, no answer";
            };
        }
        StringBuilder cell = new StringBuilder().append(status);
        switch (ending) {
            case HUNG -> cell.append(", body hung");
            case TRUNCATED -> cell.append(" truncated");
            default -> {
                String error = ourError();
                int received = ourReceivedStatus();
                if (error != null) {
                    cell.append(' ').append(error);
                } else if (received > 0) {
                    cell.append(" received-status");
                }
            }
        }
        return cell.toString();
    }

    /** The body as text (for messages). */
    public String bodyText() {
        return new String(body, StandardCharsets.ISO_8859_1);
    }
}
