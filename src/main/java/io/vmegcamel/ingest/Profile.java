package io.vmegcamel.ingest;

import java.util.List;

/**
 * A named job profile from configuration ({@code vmeg.profiles.<name>.*}): files dropped into {@code inbox/<name>/}
 * get its spec. Fields left out (empty list, null) fall back to the defaults; {@code optionsJson} and
 * {@code extraDataJson} are JSON objects merged field by field over the defaults.
 */
public record Profile(String name, List<String> targetLanguages, String sourceLanguage, String optionsJson,
                      String extraDataJson) {

    public Profile {
        targetLanguages = List.copyOf(targetLanguages);
    }
}
