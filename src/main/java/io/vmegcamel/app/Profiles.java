package io.vmegcamel.app;

import io.vmegcamel.ingest.Profile;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Reads the named job profiles: {@code vmeg.profiles.<name>.target-languages|source-language|options|extra-data}
 * from the properties files and system properties, and {@code VMEG_PROFILES_<NAME>_TARGET_LANGUAGES|SOURCE_LANGUAGE|
 * OPTIONS|EXTRA_DATA} from the environment (which wins). Profile names are lower-case letters, digits and dashes;
 * in a variable name the name is upper case with dashes as underscores ({@code talks-en} = {@code TALKS_EN}).
 * Values are read verbatim (JSON ends in "}}", which Camel would take for a placeholder's end).
 */
final class Profiles {

    static final String PREFIX = "vmeg.profiles.";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern KEY = Pattern.compile(Pattern.quote(PREFIX)
            + "([^.]+)\\.(target-languages|source-language|options|extra-data)");
    private static final Pattern ENV = Pattern.compile("VMEG_PROFILES_([A-Z0-9_]+?)_(TARGET_LANGUAGES|SOURCE_LANGUAGE|"
            + "OPTIONS|EXTRA_DATA)");

    private Profiles() {
    }

    static Map<String, Profile> read(PropertiesComponent properties, Map<String, String> env) {
        Map<String, Map<String, String>> fields = new TreeMap<>();
        Properties files = properties.loadProperties(k -> k.startsWith(PREFIX));
        files.stringPropertyNames().forEach(k -> put(fields, k, files.getProperty(k)));
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(PREFIX))
                .forEach(k -> put(fields, k, System.getProperty(k)));
        env.forEach((name, value) -> {
            Matcher m = ENV.matcher(name);
            if (m.matches()) {
                String profile = m.group(1).toLowerCase(Locale.ROOT).replace('_', '-');
                String field = m.group(2).toLowerCase(Locale.ROOT).replace('_', '-');
                put(fields, PREFIX + profile + "." + field, value);
            }
        });
        Map<String, Profile> profiles = new TreeMap<>();
        fields.forEach((name, f) -> profiles.put(name, new Profile(name,
                Arrays.stream(f.getOrDefault("target-languages", "").split(",")).map(String::trim)
                        .filter(s -> !s.isEmpty()).toList(),
                blankToNull(f.get("source-language")), blankToNull(f.get("options")),
                blankToNull(f.get("extra-data")))));
        return profiles;
    }

    private static void put(Map<String, Map<String, String>> fields, String key, String value) {
        Matcher m = KEY.matcher(key);
        if (!m.matches()) {
            throw new IllegalArgumentException("Setting " + key + " is not a profile setting: use " + PREFIX
                    + "<name>.target-languages, .source-language, .options or .extra-data");
        }
        String name = m.group(1);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Setting " + key + ": profile names are lower-case letters, digits "
                    + "and dashes (they name an inbox sub-folder)");
        }
        fields.computeIfAbsent(name, n -> new TreeMap<>()).put(m.group(2), value == null ? "" : value.trim());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    static List<String> names(Map<String, Profile> profiles) {
        return List.copyOf(profiles.keySet());
    }
}
