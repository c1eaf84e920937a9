package io.vmegcamel.sandbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/** The documented locale lists, loaded from {@code /vmeg/languages.tsv} on the classpath. */
final class Languages {

    private final Set<String> sources = new LinkedHashSet<>();
    private final Set<String> targets = new LinkedHashSet<>();

    private Languages() {
    }

    static Languages load() {
        Languages l = new Languages();
        try (InputStream in = Languages.class.getResourceAsStream("/vmeg/languages.tsv")) {
            if (in == null) {
                throw new IllegalStateException("classpath resource /vmeg/languages.tsv is missing");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t");
                if (cols.length < 3) {
                    throw new IllegalStateException("bad line in /vmeg/languages.tsv: " + line);
                }
                if ("yes".equals(cols[1].trim())) {
                    l.sources.add(cols[0].trim());
                }
                if ("yes".equals(cols[2].trim())) {
                    l.targets.add(cols[0].trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return l;
    }

    boolean isSource(String code) {
        return sources.contains(code);
    }

    boolean isTarget(String code) {
        return targets.contains(code);
    }

    /** Validates a target locale field; the message says which list applies and where a code only works as source. */
    void requireTarget(String code, String fieldPath) {
        if (!isTarget(code)) {
            String hint = isSource(code) ? " (" + code + " is only supported as a source language)" : "";
            throw ApiException.badRequest("field '" + fieldPath + "' must be a supported target language code"
                    + hint + ", e.g. en-US, de-DE, zh-CN (got \"" + code + "\")");
        }
    }

    void requireSource(String code, String fieldPath, boolean autoAllowed) {
        if (autoAllowed && "auto".equals(code)) {
            return;
        }
        if (!isSource(code)) {
            String hint = isTarget(code) ? " (" + code + " is only supported as a target language)" : "";
            throw ApiException.badRequest("field '" + fieldPath + "' must be " + (autoAllowed ? "\"auto\" or " : "")
                    + "a supported source language code" + hint + ", e.g. en-US, de-DE, zh-CN (got \"" + code + "\")");
        }
    }
}
