package dev.upstreamguard.jetty;

import dev.upstreamguard.core.GuardListener;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

import java.util.Objects;

/**
 * The guarded proxy as a {@link Handler.Wrapper}, the shape {@code Server#insertHandler} takes (the Jetty
 * module's XML inserts it in front of whatever the server already has): requests on a route are proxied,
 * every other request goes on to the wrapped handler. It starts and stops the proxy with itself and closes
 * the guard's bucket backend (a Redis connection, for instance) when stopped.
 */
public class UpstreamGuardModuleHandler extends Handler.Wrapper {

    private final GuardedProxyHandler proxy;
    private final StatusHandler status;
    private final AddedListeners addedListeners;

    /** A wrapper around nothing yet; {@code insertHandler} gives it the server's current handler. */
    public UpstreamGuardModuleHandler(GuardedProxyHandler proxy) {
        this(proxy, null);
    }

    /** Like {@link #UpstreamGuardModuleHandler(GuardedProxyHandler)}, serving {@code status} (may be null) first. */
    public UpstreamGuardModuleHandler(GuardedProxyHandler proxy, StatusHandler status) {
        this(proxy, status, null);
    }

    /** The module's handler: {@code addedListeners} is on the guard of every route (see {@link #addListener}). */
    UpstreamGuardModuleHandler(GuardedProxyHandler proxy, StatusHandler status, AddedListeners addedListeners) {
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        this.status = status;
        this.addedListeners = addedListeners;
        addBean(proxy, true);
        if (status != null) {
            addBean(status, true);
        }
    }

    /** The status page, or {@code null} when it is off. */
    public StatusHandler statusPage() {
        return status;
    }

    /**
     * Adds a listener to the guard of every route after the module built it: what the XML of a module that
     * depends on {@code upstream-guard} calls (e.g. {@code upstream-guard-metrics} adds its meters), before
     * Jetty starts.
     *
     * @throws IllegalStateException when started, or when this handler was not built by
     *                               {@link JettyModuleConfiguration#buildHandler()} (embedders add listeners
     *                               with {@code UpstreamGuard.builder().addListener(..)})
     */
    public void addListener(GuardListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (addedListeners == null) {
            throw new IllegalStateException("this handler's guard takes no listeners after it was built:"
                    + " add them with UpstreamGuard.builder().addListener(..)");
        }
        if (!isStopped()) {
            throw new IllegalStateException("listeners are added before the handler starts; it is " + getState());
        }
        addedListeners.add(listener);
    }

    /** The proxy this wrapper puts in front. */
    public GuardedProxyHandler proxy() {
        return proxy;
    }

    @Override
    public void setServer(Server server) {
        super.setServer(server);
        proxy.setServer(server);
        if (status != null) {
            status.setServer(server);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return (status != null && status.handle(request, response, callback))
                || proxy.handle(request, response, callback) || super.handle(request, response, callback);
    }

    @Override
    protected void doStop() throws Exception {
        try {
            super.doStop();
        } finally {
            proxy.guard().bucketBackend().close();
        }
    }
}
