package dev.upstreamguard.benchmarks.macro;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * CPU time of processes from {@code /proc/<pid>/stat}: user + system time, fields 14 and 15, in clock
 * ticks. Linux only; the load run needs Linux anyway (Debian's wrk and nginx).
 */
public final class CpuTime {
    private final double msPerTick;

    /** @param ticksPerSecond {@code getconf CLK_TCK} (100 on Linux) */
    public CpuTime(long ticksPerSecond) {
        this.msPerTick = 1000.0 / ticksPerSecond;
    }

    /** CPU milliseconds used so far by {@code process} and its live descendants (nginx's workers). */
    public double millis(ProcessHandle process) throws IOException {
        long ticks = ticks(process.pid());
        for (ProcessHandle child : (Iterable<ProcessHandle>) process.descendants()::iterator) {
            ticks += ticks(child.pid());
        }
        return ticks * msPerTick;
    }

    /**
     * CPU ticks so far of every process that is not {@code self} or one of its descendants, by pid: the
     * difference of two snapshots ({@link #otherMillis}) is what other users of the machine used meanwhile.
     */
    public Map<Long, Long> othersSnapshot(ProcessHandle self) throws IOException {
        Set<Long> ours = new HashSet<>();
        ours.add(self.pid());
        self.descendants().forEach(p -> ours.add(p.pid()));
        Map<Long, Long> ticks = new HashMap<>();
        for (ProcessHandle p : (Iterable<ProcessHandle>) ProcessHandle.allProcesses()::iterator) {
            if (!ours.contains(p.pid())) {
                ticks.put(p.pid(), ticks(p.pid()));
            }
        }
        return ticks;
    }

    /** CPU milliseconds other processes used between two snapshots (one started meanwhile counts whole). */
    public double otherMillis(Map<Long, Long> before, Map<Long, Long> after) {
        long ticks = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            ticks += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
        }
        return ticks * msPerTick;
    }

    private static long ticks(long pid) throws IOException {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (NoSuchFileException | AccessDeniedException gone) {
            return 0;
        } catch (IOException exitedWhileRead) { // ESRCH and the like: the process is gone
            return 0;
        }
        // the command name (field 2) may contain spaces: count the fields after its closing parenthesis
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
    }
}
