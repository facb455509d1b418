package dev.upstreamguard.benchmarks.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * This JVM's open file descriptors ({@code /proc/self/fd}), live threads and heap used after a full GC
 * (the packaging, the upstreams, the relays and the load generator all live in it).
 *
 * @param fds        open file descriptors
 * @param threads    live threads
 * @param heapMiB    heap used after {@link System#gc()}, MiB
 * @param pools      live threads by name with the digits removed (e.g. {@code qtp#-#})
 */
record ProcessProbe(long fds, int threads, double heapMiB, Map<String, Integer> pools) {

    static ProcessProbe sample() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200); // a pause between collections, for reference processing; not a synchronisation
        }
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long fds;
        try (Stream<Path> list = Files.list(Path.of("/proc/self/fd"))) {
            fds = list.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Integer> pools = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            pools.merge(t.getName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
        }
        return new ProcessProbe(fds, ManagementFactory.getThreadMXBean().getThreadCount(), used / 1048576.0, pools);
    }

    /** The thread names whose count changed from {@code start} to {@code end}, e.g. {@code qtp#-# 20→31}. */
    static String threadChanges(ProcessProbe start, ProcessProbe end) {
        StringBuilder b = new StringBuilder();
        Map<String, Integer> all = new TreeMap<>(start.pools);
        end.pools.forEach((k, v) -> all.putIfAbsent(k, 0));
        all.forEach((name, ignored) -> {
            int before = start.pools.getOrDefault(name, 0);
            int after = end.pools.getOrDefault(name, 0);
            if (before != after) {
                b.append(b.length() == 0 ? "" : ", ").append('`').append(name).append("` ").append(before).append("→").append(after);
            }
        });
        return b.length() == 0 ? "none" : b.toString();
    }

    @Override
    public String toString() {
        return String.format("fds=%d threads=%d heap=%.1fMiB", fds, threads, heapMiB);
    }

    /** {@code end} against this start, in percent. */
    static double change(double start, double end) {
        return start == 0 ? 0 : (end - start) * 100.0 / start;
    }
}
