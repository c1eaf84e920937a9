package io.vmegcamel.downstream;

import io.vmegcamel.ledger.Ledger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger side of the {@code downstream-*} routes: {@link #route} turns new outbox events into one delivery per
 * matching endpoint, {@link #due} lists what to send, {@link #claim} takes one delivery under a lease (the exchange
 * then carries the CloudEvent and where it goes), {@link #delivered} and {@link #failed} record the attempt's end:
 * retry with exponential backoff, or dead once the event is older than the maximum age, or after a few permanent
 * refusals (HTTP 4xx other than 408 and 429).
 */
public final class Dispatcher {

    public static final String EVENT_ID = "downstreamEventId";
    public static final String DELIVERY_ID = "downstreamDeliveryId";
    public static final String CLAIMED = "downstreamClaimed";
    public static final String URI = "downstreamUri";
    public static final String KIND = "downstreamKind";
    public static final String JOB_ID = "downstreamJobId";

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final Supplier<Ledger> ledger;
    private final Supplier<CloudEvents> events;
    private final DownstreamSettings settings;
    private final Clock clock;
    private volatile OutboxStore store;

    /** The ledger is looked up on first use: it is opened by another configuration class. */
    public Dispatcher(Supplier<Ledger> ledger, Supplier<CloudEvents> events, DownstreamSettings settings, Clock clock) {
        this.ledger = ledger;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
    }

    /** The configured endpoints (for the operator command run in-process). */
    public List<Endpoint> endpoints() {
        return settings.endpoints();
    }

    private OutboxStore store() {
        if (store == null) {
            store = new OutboxStore(ledger.get());
        }
        return store;
    }

    /** Routes every new event: freezes its CloudEvent and creates its deliveries. */
    public int route() {
        int n = 0;
        for (OutboxStore.Event e : store().unrouted(settings.batch())) {
            List<Endpoint> targets = settings.endpoints().stream().filter(ep -> ep.accepts(e.type())).toList();
            try {
                if (store().route(e, events.get().build(e), targets)) {
                    n++;
                    LOG.debug("event {} {} ({}): {} deliveries", e.id(), e.type(), e.subject(), targets.size());
                }
            } catch (RuntimeException ex) {
                // one event that cannot be built must not hold up the others; it is tried again at the next poll
                LOG.warn("event {} {} ({}) cannot be routed yet: {}", e.id(), e.type(), e.subject(), ex.toString());
            }
        }
        return n;
    }

    public List<Long> due() {
        return store().due(clock.instant(), settings.batch());
    }

    /**
     * Sets {@link #CLAIMED}; when true, the body is the CloudEvent JSON and the properties say where it goes
     * ({@link #URI}, {@link #KIND}) and what it is ({@link #EVENT_ID}, {@link #JOB_ID}).
     */
    public void claim(Exchange exchange) {
        long id = exchange.getProperty(DELIVERY_ID, Long.class);
        Optional<OutboxStore.Delivery> claimed = store().claim(id, clock.instant(), settings.lease());
        exchange.setProperty(CLAIMED, claimed.isPresent());
        if (claimed.isEmpty()) {
            return;
        }
        OutboxStore.Delivery d = claimed.get();
        Optional<Endpoint> endpoint = settings.endpoints().stream().filter(e -> e.key().equals(d.endpointKey()))
                .findFirst();
        if (endpoint.isEmpty()) {
            store().dead(id, "endpoint no longer configured: " + d.endpoint());
            exchange.setProperty(CLAIMED, false);
            return;
        }
        exchange.setProperty(EVENT_ID, d.eventId());
        exchange.setProperty(JOB_ID, d.jobId());
        exchange.setProperty(URI, endpoint.get().target());
        exchange.setProperty(KIND, endpoint.get().kind().name().toLowerCase());
        exchange.getMessage().setBody(d.body());
    }

    public void delivered(Exchange exchange) {
        long id = exchange.getProperty(DELIVERY_ID, Long.class);
        store().delivered(id);
        LOG.debug("delivery {} of event {} done", id, exchange.getProperty(EVENT_ID));
    }

    public void failed(Exchange exchange) {
        long id = exchange.getProperty(DELIVERY_ID, Long.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        OutboxStore.Delivery d = store().delivery(id).orElseThrow();
        String error = describe(cause);
        Instant now = clock.instant();
        boolean permanent = isPermanent(cause);
        boolean tooOld = Duration.between(d.occurredAt(), now).compareTo(settings.maxAge()) >= 0;
        if (tooOld || (permanent && d.attempts() >= settings.permanentAttempts())) {
            store().dead(id, error);
            LOG.error("event {} ({} {}) is dead for {} after {} attempts: {}. Replay: java -jar vmeg-camel.jar "
                    + "events replay {}", d.eventId(), d.type(), d.subject(), d.endpoint(), d.attempts(), error,
                    d.eventId());
            return;
        }
        Duration delay = backoff(d.attempts());
        store().retry(id, now.plus(delay), error);
        LOG.warn("event {} to {}: attempt {} failed ({}), next in {}", d.eventId(), d.endpoint(), d.attempts(),
                error, delay);
    }

    /** retry-initial, doubled per attempt, capped at retry-max. */
    Duration backoff(int attempts) {
        Duration d = settings.retryInitial();
        for (int i = 1; i < attempts && d.compareTo(settings.retryMax()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(settings.retryMax()) > 0 ? settings.retryMax() : d;
    }

    static boolean isPermanent(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException h) {
                int s = h.getStatusCode();
                return s >= 400 && s < 500 && s != 408 && s != 429;
            }
            if (t instanceof ResolveEndpointFailedException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        if (cause instanceof HttpOperationFailedException h) {
            return "HTTP " + h.getStatusCode() + (h.getStatusText() == null ? "" : " " + h.getStatusText());
        }
        String m = cause.getMessage();
        return cause.getClass().getSimpleName() + (m == null ? "" : ": " + (m.length() > 500 ? m.substring(0, 500) : m));
    }
}
