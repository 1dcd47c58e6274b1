package dev.scaler.execution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Who holds a lock file's {@code flock(2)} lock, read from {@code /proc/locks}: only for the log and the
 * history ("waiting for pid N"), never to decide anything, since the holder may end a moment later.
 */
final class LockHolder {

    private LockHolder() {
    }

    /** The pid holding an flock on {@code file}; empty when none, or when it cannot be told (no /proc). */
    static OptionalLong of(Path file) {
        try {
            if (!Files.exists(file)) {
                return OptionalLong.empty();
            }
            long inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
            return parse(Files.readAllLines(Path.of("/proc/locks")), inode);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return OptionalLong.empty();
        }
    }

    /** From lines such as {@code 1: FLOCK  ADVISORY  WRITE 4711 08:01:1234567 0 EOF}. */
    static OptionalLong parse(List<String> procLocks, long inode) {
        for (String line : procLocks) {
            String[] f = line.trim().split("\\s+");
            // blocked waiters are listed as "1: -> FLOCK ..."; they do not hold the lock
            if (f.length >= 6 && f[1].equals("FLOCK")) {
                String[] device = f[5].split(":");
                if (device.length == 3 && device[2].equals(Long.toString(inode))) {
                    return OptionalLong.of(Long.parseLong(f[4]));
                }
            }
        }
        return OptionalLong.empty();
    }
}
