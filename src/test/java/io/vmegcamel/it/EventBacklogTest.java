package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmegcamel.ledger.Events.NewEvent;
import io.vmegcamel.ledger.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/**
 * A backlog of stored events larger than one page of the sweeper (100), as a burst larger than the hand-over
 * queue leaves behind: one sweeper run works through all of it instead of 100 per period.
 */
class EventBacklogTest extends BundleTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.events.sweep-ms", "2000");
        return p;
    }

    @Test
    void oneSweeperRunProcessesEveryDueEvent() {
        List<NewEvent> backlog = new ArrayList<>();
        for (int i = 0; i < 350; i++) {
            backlog.add(new NewEvent("backlog-" + i, "openapi-media-translation", "t_backlog_" + i, "webhook",
                    "{\"code\":200,\"event\":\"openapi-media-translation\",\"pipelineKey\":\"backlog-" + i
                            + "\",\"data\":{\"taskId\":\"t_backlog_" + i + "\",\"status\":\"finished\"}}",
                    StoredEvent.RECEIVED, null));
        }
        ledger().events().insertAll(backlog);
        ledger().jdbc().update("UPDATE webhook_event SET received_at = ?, updated_at = ?",
                Instant.now().minusSeconds(60), Instant.now().minusSeconds(60));

        // a run already under way may have looked before the backlog was there: the second run to end must not
        NotifyBuilder runs = new NotifyBuilder(context).fromRoute("event-sweeper")
                .filter(run -> run.getProperty(Exchange.SPLIT_INDEX) == null)   // runs, not their split parts
                .whenCompleted(2).create();
        assertThat(runs.matches(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        assertThat(ledger().jdbc().one("SELECT COUNT(*) FROM webhook_event WHERE state = ?", rs -> rs.getLong(1),
                StoredEvent.IGNORED)).contains(350L);   // not ours: stored, looked at, ignored
    }
}
