package io.callpark.sip;

import java.util.concurrent.atomic.LongAdder;

/**
 * SIP messages this node received from the proxy and sent (first sendings and the retransmissions it makes
 * itself; the stack's own retransmissions of non-2xx responses and of requests are not counted): the cost
 * figures of docs/benchmarks.md divide them by the operations of a run.
 */
public final class SipCounters {

    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();

    void received() {
        received.increment();
    }

    void sent() {
        sent.increment();
    }

    public long receivedCount() {
        return received.sum();
    }

    public long sentCount() {
        return sent.sum();
    }
}
