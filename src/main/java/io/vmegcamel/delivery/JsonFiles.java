package io.vmegcamel.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/** Writes JSON files for people and watchers: pretty, and atomically (a hidden part file, then a rename). */
public final class JsonFiles {

    private JsonFiles() {
    }

    public static Path write(ObjectMapper json, Path target, JsonNode node) {
        Path partial = FileNames.partFileOf(target, UUID.randomUUID().toString());
        try {
            Files.createDirectories(target.getParent());
            json.writerWithDefaultPrettyPrinter().writeValue(partial.toFile(), node);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
