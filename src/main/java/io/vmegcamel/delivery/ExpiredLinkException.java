package io.vmegcamel.delivery;

import io.vmegcamel.vmeg.VmegException;

/**
 * The CDN refused a result link with 403, 404 or 410: it expired (or was revoked). The deliver-task route asks
 * tasks/detail for fresh links, once; a second refusal fails the run like any other definitive answer.
 */
public final class ExpiredLinkException extends VmegException {

    public ExpiredLinkException(String operation, int httpStatus, String message) {
        super(operation, httpStatus, httpStatus, message, null, null);
    }

    static boolean isExpiry(int httpStatus) {
        return httpStatus == 403 || httpStatus == 404 || httpStatus == 410;
    }
}
