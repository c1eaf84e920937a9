package io.vmegcamel.app;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Set;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/**
 * {@code toString} for records that hold secrets: every component as the generated one would print it (so a
 * component added later shows up by itself), except that the named secrets print as {@code ***} (a list of
 * secrets as one {@code ***} per entry, an empty one as empty) and a {@code password=} inside any text, such as
 * a JDBC URL, is masked too.
 */
public final class Redacted {

    private Redacted() {
    }

    public static String toString(Record record, Set<String> secrets) {
        StringJoiner out = new StringJoiner(", ", record.getClass().getSimpleName() + "[", "]");
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            out.add(c.getName() + "=" + (secrets.contains(c.getName()) ? mask(value) : url(String.valueOf(value))));
        }
        return out.toString();
    }

    /** The text with the value of every {@code password=} parameter (URL query or JDBC settings) masked. */
    public static String url(String text) {
        return text.replaceAll("(?i)(password=)[^;&\\s,\\]]*", "$1***");
    }

    private static String mask(Object value) {
        if (value instanceof Collection<?> c) {
            return c.stream().map(Redacted::mask).collect(Collectors.joining(", ", "[", "]"));
        }
        return value == null ? "null" : value.toString().isEmpty() ? "" : "***";
    }
}
