package dev.upstreamguard.benchmarks.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The loopback TCP sockets of the soak by where they lead, from {@code /proc/net/tcp} and {@code tcp6}: e.g. {@code →relay-A}
 * (connections to relay A's port) or {@code relay-A←} (accepted by it), with their TCP state.
 */
final class Sockets {
    private static final String[] STATES = {"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
        "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"};

    private Sockets() {
    }

    /** Counts by {@code →name} / {@code name←} and state, for the named ports; TIME_WAIT left out (no descriptor). */
    static Map<String, Integer> byPort(Map<Integer, String> ports) {
        Map<String, Integer> counts = new TreeMap<>();
        List<String> lines = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                List<String> all = Files.readAllLines(Path.of(table));
                lines.addAll(all.subList(1, all.size()));
            } catch (IOException e) {
                counts.put("unreadable " + table, 1);
            }
        }
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            int local = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
            int remote = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
            int state = Integer.parseInt(f[3], 16);
            if (state == 6 || state == 10) {
                continue; // TIME_WAIT holds no descriptor; listeners are few
            }
            String stateName = state < STATES.length ? STATES[state] : "?";
            if (ports.containsKey(local)) {
                counts.merge(ports.get(local) + "← " + stateName, 1, Integer::sum);
            } else if (ports.containsKey(remote)) {
                counts.merge("→" + ports.get(remote) + " " + stateName, 1, Integer::sum);
            }
        }
        return counts;
    }
}
