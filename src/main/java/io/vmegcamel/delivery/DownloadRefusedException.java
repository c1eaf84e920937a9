package io.vmegcamel.delivery;

/**
 * A result link this bundle will not download, whatever VMEG says on a retry: a scheme other than https (or
 * http against an http VMEG), a host outside {@code vmeg.download.allowed-hosts}, a size over
 * {@code vmeg.download.max-bytes}, or a URL that cannot be sent byte for byte. Never retried: the event fails for
 * good with this message, which names the setting an operator can change.
 */
public final class DownloadRefusedException extends RuntimeException {

    public DownloadRefusedException(String message) {
        super(message);
    }

    /** The refusal in the cause chain of {@code failure} (EIPs such as split wrap it), or null. */
    public static DownloadRefusedException in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DownloadRefusedException e) {
                return e;
            }
        }
        return null;
    }
}
