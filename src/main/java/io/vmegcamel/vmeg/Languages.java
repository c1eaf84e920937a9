package io.vmegcamel.vmeg;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** The documented VMEG locale codes (resource {@code /vmeg/languages.tsv}). */
public final class Languages {

    public static final String AUTO = "auto";

    private static final Languages INSTANCE = load();

    private final Set<String> sources;
    private final Set<String> targets;

    private Languages(Set<String> sources, Set<String> targets) {
        this.sources = Collections.unmodifiableSet(sources);
        this.targets = Collections.unmodifiableSet(targets);
    }

    public static Languages documented() {
        return INSTANCE;
    }

    /** Usable as {@code language.source}: a documented source code or {@code auto}. */
    public boolean isSource(String code) {
        return AUTO.equals(code) || sources.contains(code);
    }

    /** Usable as {@code language.target}. */
    public boolean isTarget(String code) {
        return targets.contains(code);
    }

    private static Languages load() {
        Set<String> sources = new TreeSet<>();
        Set<String> targets = new TreeSet<>();
        try (InputStream in = Languages.class.getResourceAsStream("/vmeg/languages.tsv")) {
            if (in == null) {
                throw new IllegalStateException("resource /vmeg/languages.tsv is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t");
                if ("yes".equals(cols[1])) {
                    sources.add(cols[0]);
                }
                if ("yes".equals(cols[2])) {
                    targets.add(cols[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Languages(sources, targets);
    }
}
