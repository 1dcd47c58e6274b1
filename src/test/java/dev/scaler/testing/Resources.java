package dev.scaler.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * What one test started (processes, apps, compose projects), closed in reverse order, every one of them
 * even when an earlier close fails, so a failing test leaves nothing running for the next.
 */
public final class Resources implements AutoCloseable {

    private final List<AutoCloseable> opened = new ArrayList<>();

    public <T extends AutoCloseable> T track(T resource) {
        opened.add(resource);
        return resource;
    }

    @Override
    public void close() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        opened.clear();
    }
}
