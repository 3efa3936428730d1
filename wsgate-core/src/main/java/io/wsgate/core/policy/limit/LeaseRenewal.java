package io.wsgate.core.policy.limit;

import io.wsgate.core.Scheduler;
import io.wsgate.core.store.ConnectionCounter;
import io.wsgate.core.store.LimitStore;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Renews one shared connection permit every third of its store's lease time while it is held, on the gateway's
 * scheduler. A renewal the store cannot take is reported (the pair is not harmed) and tried again at the next
 * one, so that renewal resumes when the store answers again. Stops when the permit is released.
 */
final class LeaseRenewal {

    private final LimitStore store;
    private final ConnectionCounter.Lease lease;
    private final Scheduler scheduler;
    private final AtomicBoolean released;
    private final Duration every;
    private volatile Scheduler.Task next;

    LeaseRenewal(LimitStore store, ConnectionCounter.Lease lease, Scheduler scheduler, AtomicBoolean released) {
        this.store = store;
        this.lease = lease;
        this.scheduler = scheduler;
        this.released = released;
        this.every = store.leaseTime().dividedBy(3);
    }

    void start() {
        schedule();
    }

    private void schedule() {
        if (released.get()) {
            return;
        }
        next = scheduler.schedule(every, this::renew);
        if (released.get()) {
            stop(); // released while scheduling
        }
    }

    private void renew() {
        if (released.get()) {
            return;
        }
        lease.renew().whenComplete((v, error) -> {
            if (error == null) {
                store.monitor().answered();
            } else {
                store.monitor().failed("renew", error);
            }
            schedule();
        });
    }

    void stop() {
        Scheduler.Task t = next;
        if (t != null) {
            t.cancel();
        }
    }
}
