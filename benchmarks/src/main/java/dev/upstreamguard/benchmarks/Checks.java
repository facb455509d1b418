package dev.upstreamguard.benchmarks;

import dev.upstreamguard.core.validate.ValidationResult;

/** Setup-time checks, so a benchmark fails loudly instead of measuring a path it did not mean to. */
final class Checks {

    private Checks() {
    }

    static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("benchmark fixture is wrong: expected " + what);
        }
    }

    static void requireOk(ValidationResult result, String what) {
        require(result == ValidationResult.OK, what + " to pass validation without repairs, got " + result);
    }
}
