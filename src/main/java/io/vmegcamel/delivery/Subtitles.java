package io.vmegcamel.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * SubRip and WebVTT subtitles from VMEG's timed translation ({@code result.translatedScripts.result[]}, times in
 * seconds). VMEG delivers no subtitle file of its own.
 */
public final class Subtitles {

    public record Cue(double start, double end, String text) {
    }

    private Subtitles() {
    }

    /** The cues of a media-translation result, in time order; empty when it has no timed text. */
    public static List<Cue> cues(JsonNode result) {
        List<Cue> cues = new ArrayList<>();
        for (JsonNode line : result.path("translatedScripts").path("result")) {
            String text = line.path("text").asText("").strip();
            if (text.isEmpty() || !line.path("start").isNumber() || !line.path("end").isNumber()) {
                continue;
            }
            double start = line.path("start").asDouble();
            double end = Math.max(line.path("end").asDouble(), start);
            // a blank line ends a cue and "-->" starts a timing line: neither may appear inside the text
            cues.add(new Cue(start, end, text.replaceAll("\\n\\s*\\n", "\n").replace("-->", "->")));
        }
        cues.sort((a, b) -> Double.compare(a.start(), b.start()));
        return cues;
    }

    /** SubRip: numbered from 1, {@code HH:MM:SS,mmm}. */
    public static String srt(List<Cue> cues) {
        StringBuilder out = new StringBuilder();
        int n = 1;
        for (Cue cue : cues) {
            out.append(n++).append('\n')
                    .append(time(cue.start(), ',')).append(" --> ").append(time(cue.end(), ',')).append('\n')
                    .append(cue.text()).append("\n\n");
        }
        return out.toString();
    }

    /** WebVTT: {@code WEBVTT} header, {@code HH:MM:SS.mmm}. */
    public static String vtt(List<Cue> cues) {
        StringBuilder out = new StringBuilder("WEBVTT\n\n");
        for (Cue cue : cues) {
            out.append(time(cue.start(), '.')).append(" --> ").append(time(cue.end(), '.')).append('\n')
                    .append(cue.text()).append("\n\n");
        }
        return out.toString();
    }

    static String time(double seconds, char millisSeparator) {
        long millis = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d", millis / 3_600_000, millis / 60_000 % 60,
                millis / 1000 % 60, millisSeparator, millis % 1000);
    }
}
