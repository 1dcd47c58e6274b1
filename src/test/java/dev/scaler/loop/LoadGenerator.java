package dev.scaler.loop;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Sends real HTTP requests at a steady rate, ten bursts a second, until stopped. */
final class LoadGenerator implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    LoadGenerator(URI target, int requestsPerSecond) {
        int perBurst = Math.max(1, requestsPerSecond / 10);
        HttpRequest request = HttpRequest.newBuilder(target).GET().timeout(Duration.ofSeconds(2)).build();
        timer.scheduleAtFixedRate(() -> {
            for (int i = 0; i < perBurst; i++) {
                http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
