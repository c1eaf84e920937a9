package io.vmegcamel.app;

import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.PropertiesFunction;
import org.apache.camel.util.TimeUtils;

/**
 * {@code {{millis:vmeg.http.read-timeout}}}: a duration setting ({@code 60s}, {@code 2h}, {@code 500ms}) in
 * milliseconds, for endpoint options that take a plain number (camel-http's timeouts).
 */
final class MillisFunction implements PropertiesFunction {

    private final PropertiesComponent properties;

    MillisFunction(PropertiesComponent properties) {
        this.properties = properties;
    }

    @Override
    public String getName() {
        return "millis";
    }

    @Override
    public String apply(String key) {
        String value = properties.resolveProperty(key.trim())
                .orElseThrow(() -> new IllegalArgumentException("Setting " + key + " is missing"));
        return Long.toString(TimeUtils.toMilliSeconds(value.trim()));
    }
}
