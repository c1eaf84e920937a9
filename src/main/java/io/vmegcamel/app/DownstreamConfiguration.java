package io.vmegcamel.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.downstream.CloudEvents;
import io.vmegcamel.downstream.Dispatcher;
import io.vmegcamel.downstream.DownstreamSettings;
import io.vmegcamel.downstream.Endpoint;
import io.vmegcamel.downstream.WebhookSigner;
import io.vmegcamel.delivery.Manifests;
import io.vmegcamel.delivery.Publication;
import io.vmegcamel.ledger.Ledger;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the downstream dispatcher (issue 7): the beans of {@code routes/deliver.camel.yaml} and its own thread pool,
 * so that dispatch never waits for, or holds up, webhook intake and ingest. The ledger, the outbox's
 * {@link Manifests} and its {@link Publication} come from {@link VmegConfiguration} and are looked up on first use
 * (configuration classes run in no fixed order).
 */
@Configuration
public class DownstreamConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(DownstreamConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        DownstreamSettings settings = DownstreamSettings.load(context.getPropertiesComponent());
        WebhookSigner signer = new WebhookSigner(settings.secrets(), Clock.systemUTC());
        if (!signer.hasSecret() && settings.endpoints().stream().anyMatch(e -> e.kind() == Endpoint.Kind.HTTP)) {
            throw new IllegalArgumentException("vmeg.downstream.endpoints has an HTTP endpoint but "
                    + "vmeg.downstream.secret (VMEG_DOWNSTREAM_SECRET) is empty: set a whsec_<base64> secret so "
                    + "receivers can verify what they get");
        }
        ObjectMapper json = new ObjectMapper();
        Ledger[] ledger = new Ledger[1];
        CloudEvents[] events = new CloudEvents[1];
        Dispatcher dispatcher = new Dispatcher(
                () -> ledger[0] == null ? ledger[0] = context.getRegistry().lookupByNameAndType("ledger", Ledger.class)
                        : ledger[0],
                () -> events[0] == null ? events[0] = new CloudEvents(json,
                        context.getRegistry().lookupByNameAndType("ledger", Ledger.class),
                        context.getRegistry().lookupByNameAndType("manifests", Manifests.class), settings.source(),
                        context.getRegistry().lookupByNameAndType("publication", Publication.class))
                        : events[0],
                settings, Clock.systemUTC());
        ExecutorService pool = context.getExecutorServiceManager().newFixedThreadPool(this, "downstream",
                Math.max(1, settings.threads()));
        context.getRegistry().bind("downstream", dispatcher);
        context.getRegistry().bind("downstreamSigner", signer);
        context.getRegistry().bind("downstreamPool", pool);
        // each endpoint is created once, on one thread, as the context starts (every bean bound by then), so the
        // dispatch threads' toD finds it ready: created by several of them at once on the first events, camel-kafka's
        // endpoint handed out producers without their client factory (a NullPointerException on every attempt)
        context.addStartupListener((started, alreadyStarted) ->
                settings.endpoints().forEach(e -> started.getEndpoint(e.target())));
        LOG.info("downstream: {} endpoint(s) {}", settings.endpoints().size(), settings.endpoints());
    }
}
