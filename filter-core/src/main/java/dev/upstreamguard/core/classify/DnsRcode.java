package dev.upstreamguard.core.classify;

import java.util.Optional;

/** DNS RCODE mnemonics (RFC 1035 §4.1.1, RFC 2136 §2.2) for the {@code rcode} parameter of RFC 9209 §2.3.2. */
final class DnsRcode {

    private static final String[] NAMES = {
        "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET",
        "NOTAUTH", "NOTZONE",
    };

    private DnsRcode() {
    }

    /** The mnemonic of a numeric RCODE, or empty when it is not one of the basic ones. */
    static Optional<String> name(int code) {
        return code >= 0 && code < NAMES.length ? Optional.of(NAMES[code]) : Optional.empty();
    }
}
