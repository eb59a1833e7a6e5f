package dev.messenger.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * CPU time used by a process and all its descendants (the embedded PostgreSQL runs as child
 * processes of the JVM that started it), read from Linux's /proc. Processes that ended between two
 * readings are not counted, so readings are taken while the tree is steady.
 */
final class ProcessTreeCpu {
    /** Linux reports times in clock ticks of 1/100 s on every common configuration (getconf CLK_TCK). */
    private static final double SECONDS_PER_TICK = 0.01;

    private ProcessTreeCpu() {
    }

    /** CPU seconds (user + system) of the process and its descendants; empty where /proc is not there to read. */
    static Optional<Double> seconds(long rootPid) {
        Map<Long, Long> parents = new HashMap<>();
        Map<Long, Long> ticks = new HashMap<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path dir : processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                parse(dir.resolve("stat")).ifPresent(stat -> {
                    parents.put(stat.pid(), stat.parent());
                    ticks.put(stat.pid(), stat.ticks());
                });
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!ticks.containsKey(rootPid)) {
            return Optional.empty();
        }
        Set<Long> tree = new HashSet<>(List.of(rootPid));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<Long, Long> child : parents.entrySet()) {
                if (tree.contains(child.getValue()) && tree.add(child.getKey())) {
                    grew = true;
                }
            }
        }
        return Optional.of(tree.stream().mapToLong(ticks::get).sum() * SECONDS_PER_TICK);
    }

    private record Stat(long pid, long parent, long ticks) {
    }

    private static Optional<Stat> parse(Path statFile) {
        try {
            String stat = Files.readString(statFile);
            // The command name (field 2) is in parentheses and may hold spaces; fields after it are plain.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long pid = Long.parseLong(stat.substring(0, stat.indexOf(' ')));
            // After the name: state(3) ppid(4) ... utime(14) stime(15), so index = field - 3.
            return Optional.of(new Stat(pid, Long.parseLong(fields[1]), Long.parseLong(fields[11]) + Long.parseLong(fields[12])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
