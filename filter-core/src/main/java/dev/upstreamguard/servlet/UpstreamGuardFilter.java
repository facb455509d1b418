package dev.upstreamguard.servlet;

import dev.upstreamguard.core.ErrorResponse;
import dev.upstreamguard.core.Exchange;
import dev.upstreamguard.core.OriginGuardAction;
import dev.upstreamguard.core.OriginHeaderEvent;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.ResponseHead;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.lifecycle.GuardedExchange;
import dev.upstreamguard.core.lifecycle.RouteGuard;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.lifecycle.Verdict;
import dev.upstreamguard.core.policy.ConfigurationException;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.policy.OriginGuardPolicy;
import dev.upstreamguard.core.policy.PolicyBinder;
import dev.upstreamguard.redis.LimitBackends;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The servlet packaging of Upstream Guard.
 *
 * <ul>
 *   <li>An exception escaping the chain that is an upstream failure (the application called another
 *       service and got {@code ConnectException}, {@code HttpTimeoutException}, …) is answered with the
 *       right status, {@code Proxy-Status} and problem details — if nothing was committed. If the
 *       response was committed, the exception is rethrown so the container aborts the response and the
 *       client sees truncation.</li>
 *   <li>Any other exception is answered with a 500 problem without the message and without
 *       {@code Proxy-Status}: the application is the origin of its own bugs. It is logged with its
 *       stack trace.</li>
 *   <li>A servlet-based proxy hands its upstream failures over through {@link ServletUpstreamGuard}.</li>
 *   <li>The origin-side guard measures this application's response head against the budget of the
 *       proxy in front of it before it is committed, and warns, rejects or strips.</li>
 *   <li>Admission (rate limit, then concurrency limit) happens once per request, the first time the filter
 *       sees it; the filter may be mapped for {@code ASYNC} and {@code ERROR} too, and those re-entries are
 *       not admitted again. The concurrency slot is held until the request ends, for an async request until
 *       it completes, times out or fails.</li>
 * </ul>
 * Configure by init-params (the keys of {@link PolicyBinder} plus {@value #ROUTE_ID}) or construct it
 * with an {@link UpstreamGuard}.
 */
public class UpstreamGuardFilter implements Filter {
    /** Init-param: the id this filter's events carry as their route (default: the filter name). */
    public static final String ROUTE_ID = "route-id";

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamGuardFilter.class);

    private UpstreamGuard guard;
    private String routeId;
    private ServletUpstreamGuard handle;
    private OriginHeadCheck originCheck;
    private RouteGuard route;
    private String admittedAttribute;
    private boolean ownsGuard;

    /** For {@code web.xml} and {@code addFilter(name, Class)}: configured from init-params in {@link #init}. */
    public UpstreamGuardFilter() {
    }

    /** A filter using {@code guard}, reporting as route {@code routeId}. */
    public UpstreamGuardFilter(UpstreamGuard guard, String routeId) {
        configure(guard, routeId);
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        if (guard != null) {
            return;
        }
        Map<String, String> params = new HashMap<>();
        for (String name : Collections.list(config.getInitParameterNames())) {
            params.put(name, config.getInitParameter(name));
        }
        String route = params.remove(ROUTE_ID);
        GuardPolicy policy;
        try {
            policy = PolicyBinder.bind(params);
        } catch (ConfigurationException e) {
            throw new ServletException("Upstream Guard filter '" + config.getFilterName() + "': " + e.getMessage(), e);
        }
        try {
            configure(UpstreamGuard.builder().policy(policy)
                            .bucketBackend(LimitBackends.forPolicy(policy.limitsBackend())).build(),
                    route == null || route.isBlank() ? config.getFilterName() : route);
        } catch (ConfigurationException e) {
            throw new ServletException("Upstream Guard filter '" + config.getFilterName() + "': " + e.getMessage(), e);
        }
        ownsGuard = true;
    }

    private void configure(UpstreamGuard newGuard, String newRouteId) {
        this.guard = newGuard;
        this.routeId = newRouteId == null ? "default" : newRouteId;
        this.handle = new ServletUpstreamGuard(newGuard, this.routeId);
        OriginGuardPolicy origin = newGuard.policy().originGuard();
        this.originCheck = origin.enabled() ? new OriginHeadCheck(origin) : null;
        RouteGuard routeGuard = RouteGuard.builder(this.routeId, newGuard).retries(false).build();
        this.route = routeGuard.limited() ? routeGuard : null;
        this.admittedAttribute = UpstreamGuardFilter.class.getName() + ".admitted." + this.routeId;
    }

    /** Closes the limit backend (e.g. the Redis connection) when this filter built its own guard. */
    @Override
    public void destroy() {
        if (ownsGuard && guard != null) {
            guard.bucketBackend().close();
        }
    }

    /** The guard this filter uses. */
    public UpstreamGuard guard() {
        return guard;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (request.getAttribute(ServletUpstreamGuard.ATTRIBUTE) == null) {
            request.setAttribute(ServletUpstreamGuard.START_ATTRIBUTE, guard.nanoTime());
            request.setAttribute(ServletUpstreamGuard.ATTRIBUTE, handle);
        }
        GuardedExchange admitted = null;
        if (route != null && request.getAttribute(admittedAttribute) == null) {
            // once per request: an ASYNC or ERROR re-entry (or a FORWARD/INCLUDE) was admitted with it
            request.setAttribute(admittedAttribute, Boolean.TRUE);
            GuardedExchange exchange = route.exchange(new ServletClientRequest(request));
            Verdict verdict = exchange.admit().toCompletableFuture().join();
            for (Map.Entry<String, String> h : exchange.responseFields()) {
                response.setHeader(h.getKey(), h.getValue());
            }
            if (verdict instanceof Verdict.Answer) {
                ServletResponses.write(response, ((Verdict.Answer) verdict).response(), exchange.responseFields());
                return;
            }
            admitted = exchange;
        }
        try {
            guardedChain(request, response, chain);
        } finally {
            if (admitted != null) {
                release(request, admitted);
            }
        }
    }

    /**
     * Frees the concurrency slot when the exchange ends: now, or when an async request completes (however many
     * times it is dispatched again in between).
     */
    private static void release(HttpServletRequest request, GuardedExchange admitted) {
        if (request.isAsyncStarted()) {
            request.getAsyncContext().addListener(new jakarta.servlet.AsyncListener() {
                @Override
                public void onComplete(jakarta.servlet.AsyncEvent event) {
                    admitted.complete();
                }

                @Override
                public void onTimeout(jakarta.servlet.AsyncEvent event) {
                    admitted.complete();
                }

                @Override
                public void onError(jakarta.servlet.AsyncEvent event) {
                    admitted.complete();
                }

                @Override
                public void onStartAsync(jakarta.servlet.AsyncEvent event) {
                    event.getAsyncContext().addListener(this);
                }
            });
        } else {
            admitted.complete();
        }
    }

    private void guardedChain(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        GuardedResponse guarded = originCheck == null ? null
                : new GuardedResponse(response, r -> checkOriginHead(request, r));
        HttpServletResponse downstream = guarded == null ? response : guarded;
        try {
            chain.doFilter(request, downstream);
            if (guarded != null && !request.isAsyncStarted()) {
                guarded.flushWriter();
                guarded.beforeCommit();
            }
        } catch (IOException | ServletException | RuntimeException | Error e) {
            if (e instanceof VirtualMachineError) {
                throw (VirtualMachineError) e;
            }
            handleFailure(request, response, e);
        }
    }

    private void handleFailure(HttpServletRequest request, HttpServletResponse response, Throwable e)
            throws IOException, ServletException {
        UpstreamFailure failure = guard.recognise(e, Phase.UNKNOWN);
        Exchange exchange = handle.exchange(request);
        if (response.isCommitted()) {
            if (failure != null) {
                guard.aborted(failure, exchange, response.getStatus());
            } else {
                LOG.error("request failed after the response was committed; aborting it: route={} request_id={}",
                        routeId, exchange.requestId(), e);
            }
            rethrow(e);
            return;
        }
        ErrorResponse error;
        if (failure != null) {
            error = guard.failureResponse(failure, exchange);
        } else {
            LOG.error("request failed in the application (not an upstream failure): route={} request_id={}",
                    routeId, exchange.requestId(), e);
            error = guard.applicationErrorResponse(exchange);
        }
        ServletResponses.write(response, error);
    }

    /** The origin-side guard; returns true when it replaced the response. */
    private boolean checkOriginHead(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ResponseHead head = ServletResponses.head(response);
        OriginHeadReport report = originCheck.inspect(head);
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
                UpstreamFailure failure = UpstreamFailure.of(dev.upstreamguard.core.ErrorType.PROXY_CONFIGURATION_ERROR,
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

    private static void rethrow(Throwable e) throws IOException, ServletException {
        if (e instanceof IOException) {
            throw (IOException) e;
        }
        if (e instanceof ServletException) {
            throw (ServletException) e;
        }
        if (e instanceof RuntimeException) {
            throw (RuntimeException) e;
        }
        throw (Error) e;
    }
}
