package dev.upstreamguard.servlet;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.OriginGuardAction;
import dev.upstreamguard.core.OriginHeaderEvent;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.ResponseHead;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.OriginGuardPolicy;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The origin-side guard of the servlet filter ({@code origin-guard.*}): this application's own response heads
 * measured against the budget of the proxy in front, and the policy's action (warn, reject, strip) applied.
 */
final class OriginGuard {
    private final UpstreamGuard guard;
    private final String routeId;
    private final ServletUpstreamGuard handle;
    private final OriginHeadCheck check;

    OriginGuard(UpstreamGuard guard, String routeId, ServletUpstreamGuard handle) {
        this.guard = guard;
        this.routeId = routeId;
        this.handle = handle;
        this.check = new OriginHeadCheck(guard.policy().originGuard());
    }

    /**
     * Measures the application's response head before it is committed, reports each violation and applies the
     * action; true when it replaced the response (reject).
     */
    boolean replaced(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ResponseHead head = ServletResponses.head(response);
        OriginHeadReport report = check.inspect(head);
        if (report.clean()) {
            return false;
        }
        OriginGuardPolicy policy = guard.policy().originGuard();
        OriginGuardAction action = policy.action();
        for (int i : report.illegalFields()) {
            guard.originHeaderViolation(new OriginHeaderEvent(routeId, OriginHeaderEvent.Kind.ILLEGAL_CHARACTER,
                    head.fieldName(i), OriginHeadCheck.fieldSize(head.fieldName(i), head.fieldValue(i)),
                    policy.headerBudget(), action));
        }
        if (report.overBudget()) {
            guard.originHeaderViolation(new OriginHeaderEvent(routeId, OriginHeaderEvent.Kind.SECTION_OVER_BUDGET,
                    null, report.sectionSize(), policy.headerBudget(), action));
        }
        switch (action) {
            case REJECT:
                UpstreamFailure failure = UpstreamFailure.of(ErrorType.PROXY_CONFIGURATION_ERROR,
                        Phase.READ_HEAD).withDetails(report.overBudget()
                        ? "response header section of " + report.sectionSize() + " bytes is over the budget of "
                        + policy.headerBudget() + " bytes"
                        : "response header with characters RFC 9110 forbids");
                ServletResponses.write(response, guard.failureResponse(failure, handle.exchange(request)));
                return true;
            case STRIP:
                ServletResponses.removeFieldLines(response, head, report.fieldsToStrip());
                return false;
            default:
                return false;
        }
    }

}
