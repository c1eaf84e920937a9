package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobState;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.vmeg.VmegPaths;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Job specs from inbox sub-folders: target languages joined by '+', or a named profile from configuration; a
 * sidecar overrides the folder; an unknown folder is refused before anything is uploaded. The sub-folder is kept in
 * the archive and failed folders.
 */
class FolderSpecsTest extends BundleTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.profiles.lectures.target-languages", "es-ES, ja-JP");
        p.setProperty("vmeg.profiles.lectures.source-language", "en-US");
        p.setProperty("vmeg.profiles.lectures.options", "{\"voiceClone\":{\"style\":\"consistent\"}}");
        p.setProperty("vmeg.profiles.lectures.extra-data", "{\"department\":\"training\"}");
        return p;
    }

    @Test
    void aFolderNamedAfterLanguagesGivesTheTargetLanguages() {
        dropInto("de-DE+fr-FR", "sample.mp4", "talk.mp4");
        awaitFile(env.archive().resolve("de-DE+fr-FR/talk.mp4"));

        assertThat(creates()).extracting(c -> c.path("language").path("target").asText())
                .containsExactlyInAnyOrder("de-DE", "fr-FR");
        assertThat(creates()).allSatisfy(c -> {
            assertThat(c.path("language").path("source").asText()).isEqualTo("auto");
            assertThat(c.path("options").toString()).isEqualTo("{\"voiceClone\":{\"style\":\"emotional\",\"mode\":\"role\"}}");
        });
        Job job = ledger().jobs().recent(1).get(0);
        assertThat(job.specSource()).isEqualTo("folder");
        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
        assertThat(job.location()).isEqualTo(env.archive().resolve("de-DE+fr-FR/talk.mp4").toString());
        assertThat(ledger().jobs().folder(job.id())).isEqualTo("de-DE+fr-FR");
        assertThat(ledger().tasks().forJob(job.id())).extracting(Task::targetLanguage, Task::state)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("de-DE", TaskState.DOWNLOADED),
                        org.assertj.core.groups.Tuple.tuple("fr-FR", TaskState.DOWNLOADED));
        assertThat(env.outbox().resolve("talk/de-DE/talk.de-DE.mp4")).exists();
        assertThat(env.outbox().resolve("talk/fr-FR/talk.fr-FR.mp4")).exists();
        assertThat(list(env.inbox().resolve("de-DE+fr-FR"))).isEmpty();
    }

    @Test
    void aProfileFolderGivesTheProfilesSpecOverTheDefaults() {
        dropInto("lectures", "sample.mp4", "talk.mp4");
        awaitFile(env.archive().resolve("lectures/talk.mp4"));

        List<JsonNode> creates = creates();
        assertThat(creates).extracting(c -> c.path("language").path("target").asText())
                .containsExactlyInAnyOrder("es-ES", "ja-JP");
        assertThat(creates).allSatisfy(c -> {
            assertThat(c.path("language").path("source").asText()).isEqualTo("en-US");
            // the profile's options merge field by field over vmeg.options
            assertThat(c.path("options").toString())
                    .isEqualTo("{\"voiceClone\":{\"style\":\"consistent\",\"mode\":\"role\"}}");
            assertThat(c.path("extraData").path("department").asText()).isEqualTo("training");
        });
        assertThat(ledger().jobs().recent(1).get(0).specSource()).isEqualTo("profile");
        JsonNode manifest = readJson(env.outbox().resolve("talk/es-ES/manifest.json"));
        assertThat(manifest.path("extraData").path("department").asText()).isEqualTo("training");
    }

    @Test
    void aSidecarOverridesTheFolderFieldByField() {
        dropBytesInto("lectures", "talk.mp4.vmeg.json", ("{\"targetLanguages\": [\"it-IT\"], \"options\": "
                + "{\"voiceClone\": {\"mode\": \"mix\"}}, \"extraData\": {\"orderId\": \"A1\"}}")
                .getBytes(StandardCharsets.UTF_8));
        dropInto("lectures", "sample.mp4", "talk.mp4");
        awaitFile(env.archive().resolve("lectures/talk.mp4"));

        JsonNode create = creates().get(0);
        assertThat(creates()).hasSize(1);
        assertThat(create.path("language").toString()).isEqualTo("{\"source\":\"en-US\",\"target\":\"it-IT\"}");
        assertThat(create.path("options").toString())
                .isEqualTo("{\"voiceClone\":{\"style\":\"consistent\",\"mode\":\"mix\"}}");
        assertThat(create.path("extraData").path("department").asText()).isEqualTo("training");
        assertThat(create.path("extraData").path("orderId").asText()).isEqualTo("A1");
        assertThat(ledger().jobs().recent(1).get(0).specSource()).isEqualTo("sidecar+profile");
        // the sidecar travels with its file, into the same sub-folder
        awaitFile(env.archive().resolve("lectures/talk.mp4.vmeg.json"));
        assertThat(list(env.inbox().resolve("lectures"))).isEmpty();
    }

    @Test
    void anUnknownProfileIsRefusedAndNothingIsUploaded() {
        dropInto("podcasts", "sample.mp4", "talk.mp4");
        JsonNode report = readJson(awaitFile(env.failed().resolve("podcasts/talk.mp4.error.json")));
        awaitFile(env.failed().resolve("podcasts/talk.mp4"));

        assertThat(report.path("error").asText()).isEqualTo("INVALID_SPEC");
        assertThat(report.path("message").asText()).isEqualTo("folder 'podcasts' of talk.mp4 is neither a profile "
                + "(configured: lectures) nor target languages joined by '+' ('podcasts' is not a VMEG target "
                + "language, e.g. de-DE+fr-FR)");
        assertThat(report.path("whatToDo").asText()).contains("Nothing was uploaded or charged");
        assertThat(sandbox().journal()).isEmpty();
        assertThat(ledger().jobs().recent(10)).isEmpty();
    }

    @Test
    void anUnknownLanguageInTheFolderIsRefusedAndNothingIsUploaded() {
        dropInto("de-DE+xx-XX", "sample.mp4", "talk.mp4");
        JsonNode report = readJson(awaitFile(env.failed().resolve("de-DE+xx-XX/talk.mp4.error.json")));
        awaitFile(env.failed().resolve("de-DE+xx-XX/talk.mp4"));

        assertThat(report.path("error").asText()).isEqualTo("INVALID_SPEC");
        assertThat(report.path("message").asText()).contains("'xx-XX' is not a VMEG target language")
                .doesNotContain("'de-DE'");
        assertThat(sandbox().journal()).isEmpty();
        assertThat(env.inbox().resolve("de-DE+xx-XX/talk.mp4")).doesNotExist();
    }

    /** The create-async bodies the sandbox received (each answered 200). */
    private List<JsonNode> creates() {
        List<RecordedRequest> calls = calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE);
        assertThat(calls).extracting(RecordedRequest::status).containsOnly(200);
        return calls.stream().map(this::bodyOf).toList();
    }
}
