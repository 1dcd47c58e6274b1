package dev.scaler.loop;

import dev.scaler.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The loop's evaluation threads: made only when none is idle, never more than the size, ended when unused. */
class WorkerPoolTest {

    private ThreadPoolExecutor pool;

    @AfterEach
    void shutDown() {
        pool.shutdownNow();
    }

    @Test
    void oneTaskAtATimeKeepsOneThread() throws Exception {
        pool = create(8, Duration.ofMinutes(1));
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 10; i++) {
            pool.submit(() -> threads.add(Thread.currentThread())).get(5, TimeUnit.SECONDS);
            // the task's thread counts as active until it is back waiting on the queue
            Await.until("the pool idle", Duration.ofSeconds(5), () -> pool.getActiveCount() == 0);
        }
        assertThat(threads).hasSize(1);
        assertThat(pool.getPoolSize()).isEqualTo(1);
    }

    @Test
    void tasksThatWaitGetAThreadEachUpToTheSizeAndTheRestQueue() throws Exception {
        pool = create(4, Duration.ofMinutes(1));
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
        assertThat(pool.getPoolSize()).isEqualTo(4);
        assertThat(pool.getQueue()).hasSize(6);
        release.countDown();
        for (Future<?> f : tasks) {
            f.get(5, TimeUnit.SECONDS);
        }
        assertThat(most.get()).isEqualTo(4);
    }

    @Test
    void unusedThreadsEnd() throws Exception {
        pool = create(4, Duration.ofMillis(100));
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 3; i++) {
            pool.submit(() -> {
                release.await();
                return null;
            });
        }
        assertThat(pool.getPoolSize()).isEqualTo(3);
        release.countDown();
        Await.until("no thread left", Duration.ofSeconds(5), () -> pool.getPoolSize() == 0);
        assertThat(pool.submit(() -> 7).get(5, TimeUnit.SECONDS)).isEqualTo(7);
    }

    @Test
    void aShutDownPoolRefusesWork() {
        pool = create(2, Duration.ofMinutes(1));
        pool.shutdown();
        assertThatThrownBy(() -> pool.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);
    }

    private static ThreadPoolExecutor create(int size, Duration keepAlive) {
        return (ThreadPoolExecutor) WorkerPool.create(size, keepAlive, r -> new Thread(r, "w"));
    }
}
