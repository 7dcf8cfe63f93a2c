package io.callpark.sip;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A lane per Call-ID (or other key: an extension, a ringing): the work of one key runs one task at a time, in
 * arrival order, so the handlers of a dialog never race each other on a node, and off the SIP stack's threads.
 * A lane exists while it has work and runs on a virtual thread of its own. A task that waits for the cache (a
 * write the other nodes must acknowledge) parks that virtual thread: its carrier goes to other lanes, and the
 * task continues on its lane when the acknowledgement arrives. No pool of platform threads is there to be used
 * up by calls waiting on a replica, and a waiting call holds up its own lane only.
 */
public final class CallLanes implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CallLanes.class.getName());

    private final ExecutorService runner;
    private final ClassLoader loader;
    private final int inboundLimit;
    private final AtomicInteger inboundInProgress = new AtomicInteger();
    private final LongAdder tasks = new LongAdder();
    private final Map<String, Deque<Runnable>> lanes = new ConcurrentHashMap<>();

    /**
     * @param inboundLimit new inbound requests in progress on all lanes (waiting, running or waiting on a replica)
     *                     beyond which new ones are refused (503)
     * @param loader       the context class loader of the lanes' threads (the deployment's)
     */
    public CallLanes(int inboundLimit, ClassLoader loader) {
        this.inboundLimit = inboundLimit;
        this.loader = loader;
        this.runner = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("callpark-lane-", 0).factory());
    }

    /**
     * Runs a new inbound request on its Call-ID's lane, unless too many are in progress already. A request counts
     * until its task ends, not only until it starts: a lane starts at once on a virtual thread of its own, so
     * only the requests in progress tell how much work (and memory) the node has taken on. Past the limit the
     * node sheds load instead of taking more than its heap holds.
     *
     * @return false when refused (the caller sheds the load, e.g. 503)
     */
    public boolean offer(String callId, Runnable task) {
        if (inboundInProgress.incrementAndGet() > inboundLimit) {
            inboundInProgress.decrementAndGet();
            return false;
        }
        boolean queued = execute(callId, () -> {
            try {
                task.run();
            } finally {
                inboundInProgress.decrementAndGet();
            }
        });
        if (!queued) {
            inboundInProgress.decrementAndGet();
        }
        return queued;
    }

    /**
     * Runs follow-up work (a response, a timer) on the key's lane. Never refused while the node runs: dropping it
     * would leave a transaction or a claimed call hanging.
     */
    public boolean execute(String key, Runnable task) {
        tasks.increment();
        boolean[] opened = {false};
        lanes.compute(key, (k, work) -> {
            Deque<Runnable> lane = work;
            if (lane == null) {
                lane = new ArrayDeque<>();
                opened[0] = true;
            }
            lane.add(task);
            return lane;
        });
        if (opened[0]) {
            try {
                runner.execute(() -> drain(key));
            } catch (RejectedExecutionException e) {
                lanes.remove(key);
                return false;
            }
        }
        return true;
    }

    private void drain(String key) {
        Thread.currentThread().setContextClassLoader(loader);
        for (Runnable next = next(key); next != null; next = next(key)) {
            try {
                next.run();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "call " + key + ": unhandled error", e);
            }
        }
    }

    /** The lane's next task, or null: then the lane is gone, and the next work for the key opens a new one. */
    private Runnable next(String key) {
        Runnable[] next = {null};
        lanes.computeIfPresent(key, (k, lane) -> {
            next[0] = lane.poll();
            return next[0] == null ? null : lane;
        });
        return next[0];
    }

    /** Tasks handed to the lanes since the node started: each is a hop from another thread to a call's lane. */
    public long tasksRun() {
        return tasks.sum();
    }

    /** Lanes that have work now. */
    public int busy() {
        return lanes.size();
    }

    /** Lets the lanes finish what they run, for up to 5 s, then stops them. */
    @Override
    public void close() {
        runner.shutdown();
        try {
            if (!runner.awaitTermination(5, TimeUnit.SECONDS)) {
                runner.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
