package dev.upstreamguard.servlet;

import dev.upstreamguard.core.ErrorResponse;
import dev.upstreamguard.core.Exchange;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.lifecycle.CircuitBreaker;
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
 *   <li>The opt-in circuit breaker ({@code circuit-breaker.enabled}) decides first, once per request: while it
 *       is open the request is answered 503 {@code destination_unavailable} without reaching the application.
 *       A request counts as failed when an upstream failure that passive health would count escapes the
 *       application (or is handed over through {@link ServletUpstreamGuard}, or a relayed 5xx with
 *       {@code health.count-upstream-5xx}); any other answer of the application is a success. Use it when the
 *       filter's route is one upstream dependency: a failing dependency refuses every request of the route.</li>
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
    private OriginGuard originGuard;
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
        this.originGuard = origin.enabled() ? new OriginGuard(newGuard, this.routeId, handle) : null;
        RouteGuard routeGuard = RouteGuard.builder(this.routeId, newGuard).retries(false).build();
        this.route = routeGuard;
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

    /** The route id this filter reports as. */
    public String routeId() {
        return routeId;
    }

    /**
     * The route this filter guards: its admission (rate and concurrency limits), requests admitted and in
     * flight (an async request until it completes), for meters and the status page.
     */
    public RouteGuard route() {
        return route;
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
            String sourced = guard.sourcedRequestId(); // e.g. the trace id: known on this thread only
            if (sourced != null) {
                request.setAttribute(ServletUpstreamGuard.REQUEST_ID_ATTRIBUTE, sourced);
            }
        }
        GuardedExchange admitted = null;
        if (request.getAttribute(admittedAttribute) == null) {
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
     * What ends the exchange, once: tells the circuit breaker what the request said about the upstream, frees
     * the concurrency slot, and no longer counts it in flight (an async request when it completes).
     */
    private static void release(HttpServletRequest request, GuardedExchange admitted) {
        if (request.isAsyncStarted()) {
            request.getAsyncContext().addListener(new jakarta.servlet.AsyncListener() {
                @Override
                public void onComplete(jakarta.servlet.AsyncEvent event) {
                    end(request, admitted);
                }

                @Override
                public void onTimeout(jakarta.servlet.AsyncEvent event) {
                    end(request, admitted);
                }

                @Override
                public void onError(jakarta.servlet.AsyncEvent event) {
                    end(request, admitted);
                }

                @Override
                public void onStartAsync(jakarta.servlet.AsyncEvent event) {
                    event.getAsyncContext().addListener(this);
                }
            });
        } else {
            end(request, admitted);
        }
    }

    private static void end(HttpServletRequest request, GuardedExchange admitted) {
        admitted.reportOutcome(outcome(request));
        admitted.complete();
    }

    /** What the request said about the upstreams: what the filter or a servlet proxy recorded, else a success. */
    private static CircuitBreaker.Outcome outcome(HttpServletRequest request) {
        Object recorded = request.getAttribute(ServletUpstreamGuard.OUTCOME_ATTRIBUTE);
        return recorded instanceof CircuitBreaker.Outcome ? (CircuitBreaker.Outcome) recorded : CircuitBreaker.Outcome.SUCCESS;
    }


    private void guardedChain(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        GuardedResponse guarded = originGuard == null ? null
                : new GuardedResponse(response, r -> originGuard.replaced(request, r));
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
        request.setAttribute(ServletUpstreamGuard.OUTCOME_ATTRIBUTE,
                failure == null ? CircuitBreaker.Outcome.NONE : CircuitBreaker.Outcome.of(failure));
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
            // the application's client made the attempt: the filter never makes another
            error = guard.applicationCallFailureResponse(failure, exchange);
        } else {
            LOG.error("request failed in the application (not an upstream failure): route={} request_id={}",
                    routeId, exchange.requestId(), e);
            error = guard.applicationErrorResponse(exchange);
        }
        ServletResponses.write(response, error);
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
