package io.vmegcamel.app;

import io.vmegcamel.vmeg.VmegException;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Honours VMEG's {@code Retry-After}: runs when a step fails (onExceptionOccurred) and, when VMEG sent one,
 * sets the delay of the next redelivery to it instead of the computed backoff.
 */
public final class RetryAfterDelay implements Processor {

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof VmegException e && e.retryAfter() != null) {
                Duration delay = e.retryAfter();
                exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, delay.toMillis());
                return;
            }
        }
    }
}
