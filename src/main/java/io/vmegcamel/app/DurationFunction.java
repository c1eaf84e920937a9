package io.vmegcamel.app;

import java.util.concurrent.TimeUnit;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.PropertiesFunction;
import org.apache.camel.util.TimeUtils;

/**
 * Placeholder functions {@code {{millis:key}}} and {@code {{seconds:key}}}: the duration setting {@code key}
 * (e.g. {@code 10s}, {@code 2h}, or plain milliseconds) as a number, for endpoint options that take one (camel-http
 * timeouts, the circuit breaker's open time). One format for every duration setting.
 */
final class DurationFunction implements PropertiesFunction {

    private final String name;
    private final TimeUnit unit;
    private final PropertiesComponent properties;

    private DurationFunction(String name, TimeUnit unit, PropertiesComponent properties) {
        this.name = name;
        this.unit = unit;
        this.properties = properties;
    }

    static void register(PropertiesComponent properties) {
        properties.addPropertiesFunction(new DurationFunction("millis", TimeUnit.MILLISECONDS, properties));
        properties.addPropertiesFunction(new DurationFunction("seconds", TimeUnit.SECONDS, properties));
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String apply(String key) {
        String value = properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty())
                .orElseThrow(() -> new IllegalArgumentException("Setting " + key + " is missing or blank"));
        long millis = TimeUtils.toMilliSeconds(value);
        return String.valueOf(unit.convert(millis, TimeUnit.MILLISECONDS));
    }
}
