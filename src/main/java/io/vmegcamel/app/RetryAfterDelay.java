package io.vmegcamel.app;

import io.vmegcamel.vmeg.VmegException;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Honours VMEG's {@code Retry-After}: runs when a step fails (onExceptionOccurred) and, when VMEG sent one,
 * sets the delay of the next redelivery to it (at most {@code cap}) instead of the computed backoff.
 */
public final class RetryAfterDelay implements Processor {

    private final Duration cap;

    public RetryAfterDelay(Duration cap) {
        this.cap = cap;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        VmegException vmeg = VmegException.in(failure);
        if (vmeg != null && vmeg.retryAfter() != null) {
            Duration delay = vmeg.retryAfter().compareTo(cap) > 0 ? cap : vmeg.retryAfter();
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, delay.toMillis());
        }
    }
}
