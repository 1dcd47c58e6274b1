package dev.scaler.loop;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Sends real HTTP requests at a steady rate, ten bursts a second, until stopped. */
final class LoadGenerator implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    LoadGenerator(URI target, int requestsPerSecond) {
        HttpRequest request = HttpRequest.newBuilder(target).GET().timeout(Duration.ofSeconds(2)).build();
        AtomicLong bursts = new AtomicLong();
        timer.scheduleAtFixedRate(() -> {
            // Burst k sends its share of k+1 tenths of a second, so 25/s is 2, 3, 2, 3, ... and not 20/s.
            long k = bursts.getAndIncrement();
            long perBurst = (k + 1) * requestsPerSecond / 10 - k * requestsPerSecond / 10;
            for (long i = 0; i < perBurst; i++) {
                http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
