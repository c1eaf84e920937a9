package io.vmegcamel.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmegcamel.delivery.JsonFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code <file>.remote.json} next to a spooled copy of a remote inbox object: where the object came from
 * ({@code origin}) and where it is now on the remote storage ({@code at}). It travels with the file through the
 * local places (like the sidecar), so the remote object can follow: {@link RemoteFollower}.
 */
public final class SpoolMarker {

    public static final String SUFFIX = ".remote.json";

    /** What a marker says. */
    public record Entry(Path marker, Path media, String origin, String at) {
    }

    private final ObjectMapper json;
    private final List<Path> places;

    /** @param places the local places spooled files go through (inbox, processing, held, failed, archive) */
    public SpoolMarker(ObjectMapper json, List<Path> places) {
        this.json = json;
        this.places = places;
    }

    public static Path of(Path media) {
        return media.resolveSibling(media.getFileName() + SUFFIX);
    }

    public void write(Path media, String origin, String at) {
        ObjectNode n = json.createObjectNode();
        n.put("origin", origin);
        n.put("at", at);
        JsonFiles.write(json, of(media), n);
    }

    public Optional<Entry> read(Path marker) {
        try {
            ObjectNode n = (ObjectNode) json.readTree(marker.toFile());
            String name = marker.getFileName().toString();
            return Optional.of(new Entry(marker, marker.resolveSibling(name.substring(0, name.length()
                    - SUFFIX.length())), n.path("origin").asText(), n.path("at").asText()));
        } catch (IOException | ClassCastException e) {
            return Optional.empty(); // half written by a crash: JsonFiles writes atomically, so only foreign files
        }
    }

    /** Every marker in the local places (at most one sub-folder deep, as files are taken). */
    public List<Entry> all() {
        return places.stream().flatMap(SpoolMarker::markersIn).map(this::read).flatMap(Optional::stream).toList();
    }

    /** The remote keys the local places stand for. */
    public Set<String> remoteKeys() {
        Set<String> keys = new HashSet<>();
        for (Entry e : all()) {
            keys.add(e.at());
        }
        return keys;
    }

    private static Stream<Path> markersIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.walk(dir, 2)) {
            return files.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(p))
                    .toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
