package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;

/** An endpoint: returns the envelope's data (null for void operations) or fails with an {@link ApiException}. */
@FunctionalInterface
interface ApiHandler {
    Future<JsonNode> handle(ApiCall call);
}
