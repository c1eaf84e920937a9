package io.vmegcamel.downstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.util.Set;

/** Validates an event against the JSON Schema of its type (src/main/resources/schema/events/). */
final class EventSchemas {

    private EventSchemas() {
    }

    static Set<ValidationMessage> errors(JsonNode event) throws Exception {
        String type = event.path("type").asText();
        try (InputStream in = EventSchemas.class.getResourceAsStream("/schema/events/" + type + ".schema.json")) {
            if (in == null) {
                throw new AssertionError("no schema for type " + type);
            }
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
            return schema.validate(event);
        }
    }
}
