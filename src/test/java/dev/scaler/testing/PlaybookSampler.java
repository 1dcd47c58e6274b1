package dev.scaler.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Samples {@code /proc} every few milliseconds for ansible-playbook runs of one playbook file (a path unique to
 * the test), whoever started them: the most that ran at once, and every run seen. A run is an
 * ansible-playbook process whose parent is not one too (Ansible forks its workers from the same command line).
 */
public final class PlaybookSampler implements AutoCloseable {

    private final String playbook;
    private final Thread thread;
    private final AtomicInteger most = new AtomicInteger();
    private final Set<Long> seen = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    private PlaybookSampler(String playbook) {
        this.playbook = playbook;
        this.thread = new Thread(this::loop, "playbook-sampler");
        this.thread.setDaemon(true);
    }

    public static PlaybookSampler start(Path playbook) {
        PlaybookSampler s = new PlaybookSampler(playbook.toAbsolutePath().toString());
        s.thread.start();
        return s;
    }

    private void loop() {
        while (running) {
            List<Long> runs = runs();
            seen.addAll(runs);
            most.accumulateAndGet(runs.size(), Math::max);
            Await.sleep(20);
        }
    }

    /** The pids of the runs of the playbook going on now. */
    public List<Long> runs() {
        List<Long> runs = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                if (isRun(cmdline(p)) && !isRun(cmdline(Path.of("/proc", parent(p))))) {
                    runs.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            // /proc changes while it is listed; the next sample sees it
        }
        return runs;
    }

    private boolean isRun(List<String> argv) {
        // flock's argv names the playbook too; only the python process is ansible-playbook itself
        return !argv.isEmpty() && !argv.get(0).endsWith("flock") && argv.contains(playbook)
                && argv.stream().anyMatch(a -> a.endsWith("ansible-playbook"));
    }

    private static List<String> cmdline(Path proc) {
        try {
            String raw = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
            return raw.isEmpty() ? List.of() : List.of(raw.split("\0"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static String parent(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return after[1];
        } catch (IOException | RuntimeException e) {
            return "0";
        }
    }

    /** The most runs seen at the same time. */
    public int mostAtOnce() {
        return most.get();
    }

    /** How many different runs were seen. */
    public int runsSeen() {
        return seen.size();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
