package io.vmegcamel.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * application.properties names every route file and configuration class (no wildcard, no package scan: either
 * makes Camel read the whole jar at start-up), so a new one must be added there; this test says when it is not.
 */
class RoutesListedTest {

    @Test
    void everyRouteFileAndEveryConfigurationClassIsNamedInApplicationProperties() throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("application.properties"))) {
            p.load(r);
        }
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            assertThat(Arrays.asList(p.getProperty("camel.main.routes-include-pattern").split(",")))
                    .containsExactlyInAnyOrderElementsOf(routes.map(f -> "classpath:routes/" + f.getFileName())
                            .filter(f -> f.endsWith(".camel.yaml")).toList());
        }
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            assertThat(Arrays.asList(p.getProperty("camel.main.configuration-classes").split(",")))
                    .containsExactlyInAnyOrderElementsOf(sources.filter(f -> f.toString().endsWith(".java"))
                            .filter(f -> read(f).contains("\n@Configuration\n"))
                            .map(f -> Path.of("src/main/java").relativize(f).toString().replace('/', '.')
                                    .replaceAll("\\.java$", ""))
                            .toList());
        }
        assertThat(p.getProperty("camel.main.base-package-scan-enabled")).isEqualTo("false");
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
