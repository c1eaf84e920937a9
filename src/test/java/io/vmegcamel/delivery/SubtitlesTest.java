package io.vmegcamel.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubtitlesTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void buildsSrtAndVttFromTranslatedScriptsInTimeOrder() throws Exception {
        var result = json.readTree("""
                {"translatedScripts":{"result":[
                  {"id":"2","start":3723.5,"end":3725.0,"text":"Zweite --> Zeile\\n\\nmit Umbruch","speaker":"S2"},
                  {"id":"1","start":0.4,"end":3.1,"text":"Willkommen zu unserer Demo.","speaker":"S1"},
                  {"id":"3","start":5,"end":6,"text":"   "}
                ]}}""");
        List<Subtitles.Cue> cues = Subtitles.cues(result);

        assertThat(Subtitles.srt(cues)).isEqualTo("""
                1
                00:00:00,400 --> 00:00:03,100
                Willkommen zu unserer Demo.

                2
                01:02:03,500 --> 01:02:05,000
                Zweite -> Zeile
                mit Umbruch

                """);
        assertThat(Subtitles.vtt(cues)).isEqualTo("""
                WEBVTT

                00:00:00.400 --> 00:00:03.100
                Willkommen zu unserer Demo.

                01:02:03.500 --> 01:02:05.000
                Zweite -> Zeile
                mit Umbruch

                """);
    }

    @Test
    void noTimedTextMeansNoCues() throws Exception {
        assertThat(Subtitles.cues(json.readTree("{\"build\":{}}"))).isEmpty();
    }
}
