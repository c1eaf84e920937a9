package io.vmegcamel.ingest;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Video or audio, told by the file extension; decides the default VMEG taskType ({@code vt} or {@code at}). */
public enum MediaKind {
    VIDEO("vt", Set.of("mp4", "mov", "m4v", "mkv", "webm", "avi", "flv", "wmv", "mpeg", "mpg", "ts")),
    AUDIO("at", Set.of("mp3", "wav", "m4a", "aac", "flac", "ogg", "opus", "wma", "amr"));

    private final String taskType;
    private final Set<String> extensions;

    MediaKind(String taskType, Set<String> extensions) {
        this.taskType = taskType;
        this.extensions = extensions;
    }

    public String taskType() {
        return taskType;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<MediaKind> of(String fileName) {
        String ext = extension(fileName);
        for (MediaKind kind : values()) {
            if (kind.extensions.contains(ext)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    public static String supported() {
        return "video " + String.join(", ", VIDEO.extensions.stream().sorted().toList())
                + "; audio " + String.join(", ", AUDIO.extensions.stream().sorted().toList());
    }

    /** Lower-case extension without the dot, or "" when there is none. */
    public static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot <= 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
