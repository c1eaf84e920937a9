package io.vmegcamel.app;

import io.vmegcamel.vmeg.VmegException;
import org.apache.camel.Exchange;

/**
 * Which failures the error policy retries: VMEG unreachable, throttled or failing on its side. Looks through
 * the cause chain, because EIPs such as split wrap the exception of their step.
 */
public final class RetryPolicy {

    public boolean isRetryable(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        VmegException vmeg = VmegException.in(failure);
        return vmeg != null && vmeg.isRetryable();
    }
}
