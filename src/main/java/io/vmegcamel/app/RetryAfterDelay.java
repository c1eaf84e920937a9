package io.vmegcamel.app;

import io.vmegcamel.vmeg.VmegException;
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
        VmegException vmeg = VmegException.in(failure);
        if (vmeg != null && vmeg.retryAfter() != null) {
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, vmeg.retryAfter().toMillis());
        }
    }
}
