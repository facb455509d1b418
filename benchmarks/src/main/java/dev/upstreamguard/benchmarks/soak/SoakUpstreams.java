package dev.upstreamguard.benchmarks.soak;

import dev.upstreamguard.testkit.Fault;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two misbehaving upstreams of a soak run, each behind a {@link FlappingRelay}: A stays up, B flaps
 * (down and up again every {@code flapSeconds}). Every request passes a relay, so its deliveries are counted.
 */
final class SoakUpstreams implements AutoCloseable {
    private final MisbehavingUpstream upstreamA = MisbehavingUpstream.start();
    private final MisbehavingUpstream upstreamB = MisbehavingUpstream.start();
    private final FlappingRelay a;
    private final FlappingRelay b;
    private final ScheduledExecutorService flapper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "soak-flapper");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger flaps = new AtomicInteger();
    /** B's down times: {nanoTime down, nanoTime up again or Long.MAX_VALUE}. */
    private final List<long[]> downs = new CopyOnWriteArrayList<>();
    private ScheduledFuture<?> flapping;

    SoakUpstreams() throws IOException {
        a = new FlappingRelay("A", upstreamA.baseUri());
        b = new FlappingRelay("B", upstreamB.baseUri());
    }

    FlappingRelay a() {
        return a;
    }

    FlappingRelay b() {
        return b;
    }

    /** {@code http://127.0.0.1:<port>} of a port that refuses connections. */
    URI refusedBase() {
        URI refused = upstreamA.refusedUri();
        return URI.create("http://127.0.0.1:" + refused.getPort());
    }

    /** The soak's ports by name, for {@link Sockets#byPort}. */
    Map<Integer, String> ports(Packaging packaging) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        ports.put(packaging.base().getPort(), packaging.name());
        ports.put(a.baseUri().getPort(), "relay-A");
        ports.put(b.baseUri().getPort(), "relay-B");
        ports.put(upstreamA.port(), "upstream-A");
        ports.put(upstreamB.port(), "upstream-B");
        return ports;
    }

    /** Starts flapping B: down, then up, every {@code seconds}. */
    synchronized void startFlapping(double seconds) {
        long millis = Math.round(seconds * 1000);
        flapping = flapper.scheduleAtFixedRate(this::flap, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Stops flapping and leaves B up. */
    synchronized void stopFlapping() throws Exception {
        if (flapping != null) {
            flapping.cancel(false);
            flapper.submit(() -> { }).get(); // a running flap is over
            flapping = null;
        }
        if (!b.isUp()) {
            b.up();
            downs.get(downs.size() - 1)[1] = System.nanoTime();
        }
    }

    /** Whether B was down at any moment between {@code from} and {@code to} (nanoTime). */
    boolean bDownDuring(long from, long to) {
        for (long[] d : downs) {
            if (d[0] - to <= 0 && from - d[1] <= 0) {
                return true;
            }
        }
        return false;
    }

    int flaps() {
        return flaps.get();
    }

    private void flap() {
        try {
            if (b.isUp()) {
                downs.add(new long[] {System.nanoTime(), Long.MAX_VALUE});
                b.down();
            } else {
                b.up();
                downs.get(downs.size() - 1)[1] = System.nanoTime();
            }
            flaps.incrementAndGet();
        } catch (IOException e) {
            System.err.println("B could not listen again: " + e);
        }
    }

    /** Requests both upstreams received on the path of {@code fault} (test kit's own count). */
    int received(Fault fault) {
        return upstreamA.requestCount(fault) + upstreamB.requestCount(fault);
    }

    /** How often the request with this id was forwarded to an upstream (once answered: forgets it). */
    int takeForwarded(long id) {
        return a.takeForwarded(id) + b.takeForwarded(id);
    }

    /** Request ids the relays still remember once every answer was taken: forwarded or cut after their answer. */
    int remembered() {
        return a.remembered() + b.remembered();
    }

    /** Whether B's going down cut a connection that carried this request (once answered: forgets it). */
    boolean takeCut(long id) {
        return a.takeCut(id) | b.takeCut(id);
    }

    @Override
    public void close() {
        flapper.shutdownNow();
        a.close();
        b.close();
        upstreamA.close();
        upstreamB.close();
    }
}
