package io.callpark.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Worker lanes that take SIP work off the stack threads. All work for one Call-ID runs on one lane, in arrival
 * order, so the handlers of a dialog never race each other on a node; cache I/O blocks a lane, never the stack.
 */
public final class CallLanes {

    private static final Logger LOG = Logger.getLogger(CallLanes.class.getName());

    private final List<ThreadPoolExecutor> lanes = new ArrayList<>();
    private final int inboundLimit;

    /** @param inboundLimit queued tasks beyond which a lane refuses new inbound requests */
    public CallLanes(int laneCount, int inboundLimit, ThreadFactory threads) {
        this.inboundLimit = inboundLimit;
        for (int i = 0; i < laneCount; i++) {
            lanes.add(new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads));
        }
    }

    /**
     * Runs a new inbound request on the Call-ID's lane, unless the lane is over its limit.
     *
     * @return false when the lane is full (the caller sheds the load, e.g. 503)
     */
    public boolean offer(String callId, Runnable task) {
        if (lane(callId).getQueue().size() >= inboundLimit) {
            return false;
        }
        return execute(callId, task);
    }

    /**
     * Runs follow-up work (a response, a timer) on the Call-ID's lane. Never refused: dropping it would leave a
     * transaction or a claimed call hanging.
     */
    public boolean execute(String callId, Runnable task) {
        ThreadPoolExecutor lane = lane(callId);
        try {
            lane.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "call " + callId + ": unhandled error", e);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private ThreadPoolExecutor lane(String callId) {
        return lanes.get(Math.floorMod(callId.hashCode(), lanes.size()));
    }

    public void shutdown() {
        lanes.forEach(ThreadPoolExecutor::shutdown);
        for (ThreadPoolExecutor lane : lanes) {
            try {
                lane.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
