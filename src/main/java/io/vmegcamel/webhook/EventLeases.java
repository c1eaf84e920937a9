package io.vmegcamel.webhook;

import io.vmegcamel.ledger.Events;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the lease of the events this process is working on. A claim protects an event for {@code lease}; a
 * download may take up to the transfer timeout (hours), so while an event is held its lease is renewed every
 * third of the lease. Only a processor that died (crash, kill -9) stops renewing, and then its event becomes
 * due again one lease later. One mechanism for every step of an event, downloads included.
 */
public final class EventLeases implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLeases.class);

    private final Events events;
    private final Set<Long> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;

    public EventLeases(Events events, Duration lease) {
        this.events = events;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vmeg-event-leases");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, lease.toMillis() / 3);
        timer.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
    }

    /** From now on, renews the lease of this claimed event until {@link #release}. */
    public void hold(long eventId) {
        held.add(eventId);
    }

    public void release(long eventId) {
        held.remove(eventId);
    }

    private void renew() {
        List<Long> ids = List.copyOf(held);
        if (ids.isEmpty()) {
            return;
        }
        try {
            events.renew(ids);
        } catch (RuntimeException e) {
            // the next period tries again; a lease lapses only after a whole lease without renewal
            LOG.warn("could not renew the lease of events {}: {}", ids, e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
