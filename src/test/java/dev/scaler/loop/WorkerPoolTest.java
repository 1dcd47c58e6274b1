package dev.scaler.loop;

import dev.scaler.testing.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The loop's evaluation threads: made only when none is idle, never more than the size, ended when unused. */
class WorkerPoolTest {

    @Test
    void oneTaskAtATimeKeepsOneThread() throws Exception {
        ExecutorService pool = WorkerPool.create(8, Duration.ofMinutes(1), "w");
        try {
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 20; i++) {
                pool.submit(() -> threads.add(Thread.currentThread())).get(5, TimeUnit.SECONDS);
                awaitIdle(pool);
            }
            assertThat(threads).hasSize(1);
            assertThat(((ThreadPoolExecutor) pool).getPoolSize()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void tasksThatWaitGetAThreadEachUpToTheSizeAndTheRestQueue() throws Exception {
        ExecutorService pool = WorkerPool.create(4, Duration.ofMinutes(1), "w");
        try {
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                tasks.add(pool.submit(() -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    release.await();
                    running.decrementAndGet();
                    return null;
                }));
            }
            Await.until("four tasks running", Duration.ofSeconds(5), () -> running.get() == 4);
            assertThat(((ThreadPoolExecutor) pool).getPoolSize()).isEqualTo(4);
            assertThat(((ThreadPoolExecutor) pool).getQueue()).hasSize(6);
            release.countDown();
            for (Future<?> f : tasks) {
                f.get(5, TimeUnit.SECONDS);
            }
            assertThat(most.get()).isEqualTo(4);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unusedThreadsEnd() throws Exception {
        ExecutorService pool = WorkerPool.create(4, Duration.ofMillis(100), "w");
        try {
            CountDownLatch release = new CountDownLatch(1);
            for (int i = 0; i < 3; i++) {
                pool.submit(() -> {
                    release.await();
                    return null;
                });
            }
            assertThat(((ThreadPoolExecutor) pool).getPoolSize()).isEqualTo(3);
            release.countDown();
            Await.until("no thread left", Duration.ofSeconds(5), () -> ((ThreadPoolExecutor) pool).getPoolSize() == 0);
            assertThat(pool.submit(() -> 7).get(5, TimeUnit.SECONDS)).isEqualTo(7);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aShutDownPoolRefusesWork() {
        ExecutorService pool = WorkerPool.create(2, Duration.ofMinutes(1), "w");
        pool.shutdown();
        assertThatThrownBy(() -> pool.submit(() -> 1))
                .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    }

    /** The task's thread counts as active until it is back waiting on the queue. */
    private static void awaitIdle(ExecutorService pool) {
        Await.until("the pool idle", Duration.ofSeconds(5), () -> ((ThreadPoolExecutor) pool).getActiveCount() == 0);
    }
}
