package io.vmegcamel.sandbox;

import io.vertx.core.http.HttpServerResponse;

/** An S3-style XML error as the storage and CDN routes answer it. */
record S3Error(int status, String code, String message) {

    static S3Error expired() {
        return new S3Error(403, "AccessDenied", "Request has expired");
    }

    static S3Error signatureMismatch() {
        return new S3Error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the"
                + " signature you provided. Check your key and signing method (the query string must be sent"
                + " exactly as it was issued, without re-encoding).");
    }

    void send(HttpServerResponse response) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + escape(code) + "</Code><Message>"
                + escape(message) + "</Message><RequestId>" + Ids.hex(8).toUpperCase() + "</RequestId></Error>";
        response.setStatusCode(status).putHeader("Content-Type", "application/xml").end(xml);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
