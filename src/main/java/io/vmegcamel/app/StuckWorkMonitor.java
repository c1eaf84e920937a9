package io.vmegcamel.app;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.ledger.StuckWork;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Makes stuck work visible: the health check {@code vmeg-stuck-work} (on {@code /observe/health}, details: a count
 * per kind) and the gauge {@code vmeg_stuck_work{kind=...}} (on {@code /observe/metrics}). The check is DOWN while
 * anything is stuck, but it is neither a readiness nor a liveness check: stuck work is an alert for an operator,
 * and neither a restart nor taking the bundle out of service would fix it (both would only stop the work that
 * still flows). Probes belong on {@code /observe/health/live} and {@code /observe/health/ready}.
 */
public final class StuckWorkMonitor extends AbstractHealthCheck implements StartupListener {

    public static final String ID = "vmeg-stuck-work";
    private static final Duration CACHE = Duration.ofSeconds(2);

    private final Ledger ledger;
    private final Settings.StuckWindows windows;
    private final int eventMaxAttempts;
    private final Clock clock;
    private volatile Map<String, Long> last;
    private volatile Instant lastAt = Instant.MIN;

    public StuckWorkMonitor(Ledger ledger, Settings.StuckWindows windows, int eventMaxAttempts, Clock clock) {
        super("vmeg", ID);
        this.ledger = ledger;
        this.windows = windows;
        this.eventMaxAttempts = eventMaxAttempts;
        this.clock = clock;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<String, Long> counts = refresh();
        counts.forEach(builder::detail);
        long stuck = counts.values().stream().mapToLong(Long::longValue).sum();
        if (stuck == 0) {
            builder.up();
        } else {
            builder.down().message("stuck work: " + counts + " (see the README, 'Stuck work')");
        }
    }

    /** The counts, at most {@link #CACHE} old (a scrape reads every gauge: one ledger pass serves them all). */
    public synchronized Map<String, Long> counts() {
        return last == null || lastAt.plus(CACHE).isBefore(clock.instant()) ? refresh() : last;
    }

    /** The counts now. */
    public synchronized Map<String, Long> refresh() {
        Instant now = clock.instant();
        last = ledger.stuckWork().count(new StuckWork.Cutoffs(now.minus(windows.submittingAfter()),
                now.minus(windows.silentAfter()), now.minus(windows.unfinishedAfter()),
                now.minus(windows.stalledAfter()), eventMaxAttempts));
        lastAt = now;
        return last;
    }

    /** Once Camel runs, its health registry and meter registry exist: register there. */
    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            setCamelContext(context);
            health.register(this);
        }
        for (MeterRegistry meters : context.getRegistry().findByType(MeterRegistry.class)) {
            for (String kind : counts().keySet()) {
                Gauge.builder("vmeg.stuck.work", this, m -> m.counts().getOrDefault(kind, 0L))
                        .tag("kind", kind).description("work waiting past its window (see /observe/health)")
                        .register(meters);
            }
        }
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // registration waits for onCamelContextFullyStarted
    }
}
