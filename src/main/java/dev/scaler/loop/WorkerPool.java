package dev.scaler.loop;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The loop's evaluation threads (issue 11): up to {@code size} at once, a thread made only when none is idle, and
 * each ended after {@code keepAlive} unused. A fixed pool makes a thread for each of its first {@code size} tasks
 * even while the others idle, so one target every 15 s grew it to all eight (about 100 kB of stack each), and a
 * work-stealing pool made one per tick too.
 */
final class WorkerPool {

    private WorkerPool() {
    }

    static ExecutorService create(int size, Duration keepAlive, ThreadFactory threads) {
        IdleFirstQueue queue = new IdleFirstQueue();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, size, keepAlive.toNanos(), TimeUnit.NANOSECONDS, queue,
                threads,
                // a thread was refused because the pool filled up since the queue looked: the task waits its turn
                (task, executor) -> {
                    if (executor.isShutdown() || !queue.enqueue(task)) {
                        throw new RejectedExecutionException("worker pool shut down");
                    }
                });
        queue.pool = pool;
        return pool;
    }

    /**
     * Takes a task only when a thread is idle to run it, or when the pool is full; otherwise refuses it, and the
     * executor makes a thread for it (Tomcat's task queue does the same).
     */
    private static final class IdleFirstQueue extends LinkedBlockingQueue<Runnable> {

        private transient volatile ThreadPoolExecutor pool;

        @Override
        public boolean offer(Runnable task) {
            ThreadPoolExecutor p = pool;
            int threads = p.getPoolSize();
            if (threads < p.getMaximumPoolSize() && p.getActiveCount() + size() >= threads) {
                return false;
            }
            return super.offer(task);
        }

        boolean enqueue(Runnable task) {
            return super.offer(task);
        }
    }
}
