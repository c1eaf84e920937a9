package io.vmegcamel.sandbox;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** File extension to material category and MIME type (the formats the sandbox accepts). */
final class MediaTypes {

    private static final Map<String, String> VIDEO = new LinkedHashMap<>();
    private static final Map<String, String> AUDIO = new LinkedHashMap<>();

    static {
        VIDEO.put("mp4", "video/mp4");
        VIDEO.put("mov", "video/quicktime");
        VIDEO.put("m4v", "video/x-m4v");
        VIDEO.put("mkv", "video/x-matroska");
        VIDEO.put("webm", "video/webm");
        VIDEO.put("avi", "video/x-msvideo");
        VIDEO.put("flv", "video/x-flv");
        VIDEO.put("wmv", "video/x-ms-wmv");
        VIDEO.put("mpeg", "video/mpeg");
        VIDEO.put("mpg", "video/mpeg");
        VIDEO.put("ts", "video/mp2t");
        AUDIO.put("mp3", "audio/mpeg");
        AUDIO.put("wav", "audio/wav");
        AUDIO.put("m4a", "audio/mp4");
        AUDIO.put("aac", "audio/aac");
        AUDIO.put("flac", "audio/flac");
        AUDIO.put("ogg", "audio/ogg");
        AUDIO.put("opus", "audio/opus");
        AUDIO.put("wma", "audio/x-ms-wma");
        AUDIO.put("amr", "audio/amr");
    }

    private MediaTypes() {
    }

    static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** "video", "audio" or null when the extension is not supported. */
    static String category(String fileName) {
        String ext = extension(fileName);
        return VIDEO.containsKey(ext) ? "video" : AUDIO.containsKey(ext) ? "audio" : null;
    }

    static String mimeType(String fileName) {
        String ext = extension(fileName);
        String m = VIDEO.getOrDefault(ext, AUDIO.get(ext));
        if (m != null) {
            return m;
        }
        return switch (ext) {
            case "png" -> "image/png";
            case "json" -> "application/json";
            default -> "application/octet-stream";
        };
    }

    static String supported() {
        return "video: " + String.join(", ", VIDEO.keySet()) + "; audio: " + String.join(", ", AUDIO.keySet());
    }
}
