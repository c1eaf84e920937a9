package io.vmegcamel.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every {@code vmeg.*} key of application.properties has a row in the README's configuration reference table. */
class ConfigurationReferenceTest {

    private static final Pattern KEY = Pattern.compile("^(vmeg\\.[\\w.-]+)\\s*=\\s*(.*)$");

    @Test
    void everyVmegKeyHasARowWithItsVariableAndDefault() throws IOException {
        List<String> readme = Files.readAllLines(Path.of("README.md"));
        List<String> problems = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("application.properties"))) {
            Matcher m = KEY.matcher(line.trim());
            if (!m.matches()) {
                continue;
            }
            String key = m.group(1);
            String value = m.group(2).trim();
            String variable = key.toUpperCase().replace('.', '_').replace('-', '_');
            String row = readme.stream().filter(l -> l.startsWith("| `" + key + "` |")).findFirst().orElse(null);
            if (row == null) {
                problems.add(key + ": no row");
            } else if (!row.contains("`" + variable + "`")) {
                problems.add(key + ": row does not name " + variable);
            } else if (!value.isEmpty() && !row.contains("`" + value + "`")) {
                problems.add(key + ": row does not show the default " + value);
            }
        }
        assertThat(problems).isEmpty();
    }
}
